// Expand an .ics file with ical.js (Thunderbird's parser): every occurrence starting in
// [FROM, TO) as JSON lines {uid, start, end, summary}. Timed starts are UTC ISO strings,
// all-day ones YYYY-MM-DD. Overrides (RECURRENCE-ID, RANGE=THISANDFUTURE too) are related
// to their master the way Thunderbird does; cancelled occurrences are left out.
// Usage: node expand_events.js FILE.ics FROM TO   (FROM/TO: ISO dates, UTC), or a JSON
// list of [FILE, FROM, TO] on standard input.
const fs = require("fs");
const ICAL = require("ical.js");

function expand(file, fromText, toText) {
  const root = new ICAL.Component(ICAL.parse(fs.readFileSync(file, "utf8")));
  ICAL.TimezoneService.reset(); // a client reads one file: forget the last file's zones
  for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtimezone);
  }
  const from = ICAL.Time.fromJSDate(new Date(fromText), true);
  const to = ICAL.Time.fromJSDate(new Date(toText), true);

  function show(time) {
    if (time.isDate) {
      return time.toString();
    }
    return time.toJSDate().toISOString().replace(".000Z", "Z");
  }

  function cancelled(component) {
    return String(component.getFirstPropertyValue("status") || "").toUpperCase() === "CANCELLED";
  }

  const masters = new Map();
  const exceptions = [];
  for (const vevent of root.getAllSubcomponents("vevent")) {
    if (vevent.getFirstPropertyValue("x-diary-buffer")) continue;
    if (vevent.getFirstPropertyValue("x-diary-promise")) continue;
    const event = new ICAL.Event(vevent);
    if (event.isRecurrenceException()) exceptions.push(event);
    else masters.set(event.uid, event);
  }
  const out = [];
  for (const exception of exceptions) {
    const master = masters.get(exception.uid);
    if (master && master.isRecurring()) master.relateException(exception);
    else if (!cancelled(exception.component)) {
      out.push([exception.uid, exception.startDate, exception.endDate, exception.summary]);
    }
  }
  for (const event of masters.values()) {
    if (!event.isRecurring()) {
      if (!cancelled(event.component)) {
        out.push([event.uid, event.startDate, event.endDate, event.summary]);
      }
      continue;
    }
    const iterator = event.iterator();
    let next;
    let guard = 0;
    while ((next = iterator.next()) && guard++ < 200000) {
      const details = event.getOccurrenceDetails(next);
      if (details.startDate.compare(to) >= 0 && next.compare(to) >= 0) break;
      if (cancelled(details.item.component)) continue;
      out.push([event.uid, details.startDate, details.endDate, details.item.summary]);
    }
  }
  const lines = [];
  for (const [uid, start, end, summary] of out) {
    const startDate = start.isDate ? start : start;
    if (startDate.compare(to) >= 0) continue;
    const endTime = end || start;
    if (start.isDate ? endTime.compare(from) <= 0 : endTime.compare(from) <= 0 && start.compare(from) < 0) continue;
    lines.push(JSON.stringify({ uid, start: show(start), end: show(endTime), summary: summary || "" }));
  }
  return lines;
}

// One file from the command line, or many: a JSON list of [file, from, to] on stdin,
// answered by one JSON object {file: [occurrence lines]} (one node start for a corpus).
if (process.argv.length > 2) {
  process.stdout.write(expand(...process.argv.slice(2)).join("\n"));
} else {
  const jobs = JSON.parse(fs.readFileSync(0, "utf8"));
  const answers = {};
  for (const [file, fromText, toText] of jobs) {
    try {
      answers[file] = expand(file, fromText, toText);
    } catch (error) {
      answers[file] = { error: String(error) };
    }
  }
  process.stdout.write(JSON.stringify(answers));
}
