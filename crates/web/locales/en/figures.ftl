## Public figures (pages/figures.rs): the indicators an administrator marks public.

figures-title = Figures on child protection
figures-intro = These figures cover the whole country. They are counted from the records for the year { $year }, the last complete year, and for the years before it.
figures-in-year = In { $year }:
figures-none = No figures are published yet.
figures-unavailable = The figures cannot be shown just now. Please try again later.
figures-report-link = Report a concern about a child
figures-link = See the published figures on child protection
figures-admin-title = Public figures
figures-admin-intro = Choose which indicators anyone may see, without signing in, for the whole country. Small numbers are always hidden there.
figures-admin-open = Open the public figures page
figures-admin-saved = Your choice is saved.
figures-admin-table = Indicators and whether the public sees them
figures-admin-col-shown = Shown to the public
figures-admin-col-change = Change
figures-admin-public = Yes, shown
figures-admin-private = No, not shown
figures-admin-show = Show to the public
figures-admin-hide = Stop showing to the public
figures-error-indicator = Choose an indicator from the list.
figures-error-public = Choose whether to show the indicator or not.
