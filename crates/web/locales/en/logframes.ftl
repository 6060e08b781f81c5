## Logframes (pages/logframes.rs, api/logframes.rs): results chains measured by live indicators.

logframes-error-title = Write a title for the logframe.
logframes-error-title-long = Keep the title to 200 characters or fewer.
logframes-error-level = Choose a level: impact, outcome, output or activity.
logframes-error-no-parent = An impact has no result above it: leave “belongs to” empty.
logframes-error-parent = Choose the result this one belongs to.
logframes-error-parent-level = Choose a result of this logframe one level above (an outcome belongs to the impact, an output to an outcome, an activity to an output).
logframes-error-statement = Say in words what the result is.
logframes-error-long = Keep this to 2,000 characters or fewer.
logframes-error-indicator = Choose an indicator from the list.
logframes-error-linked = This indicator is already linked to this result.
logframes-error-value = Write a number, for example 12 or 12.5.
logframes-error-date = Write the date as year-month-day, for example 2026-12-31.
