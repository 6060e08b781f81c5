# The administrator's page for the assessment instrument.

instrument-title = Assessment instrument, version { $n }
instrument-text = Change weights, descriptions, thresholds or factors and save: this makes version { $count }. Assessments already made keep the version they used.
instrument-json = Instrument (JSON)
instrument-save = Save as a new version
instrument-saved = Saved as a new version.
instrument-error = The instrument could not be used. What needs a change:
