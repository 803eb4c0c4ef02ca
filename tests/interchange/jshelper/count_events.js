// Parse an .ics file with ical.js and print {"VEVENT": n, "VTODO": m} as JSON.
const fs = require("fs");
const ICAL = require("ical.js");

const text = fs.readFileSync(process.argv[2], "utf8");
const root = new ICAL.Component(ICAL.parse(text));
const result = {
  VEVENT: root.getAllSubcomponents("vevent").length,
  VTODO: root.getAllSubcomponents("vtodo").length,
  VTIMEZONE: root.getAllSubcomponents("vtimezone").length,
};
for (const vevent of root.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(vevent);
  if (!event.uid || !event.startDate) {
    throw new Error("event without UID or DTSTART");
  }
}
process.stdout.write(JSON.stringify(result) + "\n");
