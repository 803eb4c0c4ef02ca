"""iCalendar in and out: pure functions over diary's value types, no database.

Import from the modules themselves (`diary.interchange.ics_import`, `.ics_export`,
`.records`, `.recurrence`, `.errors`, `.tz`): this package file stays empty so that the
light ones (records, recurrence, errors), which every listing uses, do not load the
icalendar stack that only the import and export need.
"""
