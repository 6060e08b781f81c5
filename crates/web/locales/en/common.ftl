# Shared by every staff page: the layout, navigation, roles, dates, and the
# answers to a refused or failed request.

brand = Haven
skip-to-content = Skip to the main content
nav-label = Main menu
nav-today = Today
nav-children = Children
nav-register-child = Register a child
nav-cases = Cases
nav-reports = Reports
nav-referrals = Referrals
nav-services = Services
nav-hotline = Hotline
nav-hash-lists = Hash lists
nav-match-tester = Match tester
nav-url-list = URL list
nav-instrument = Assessment instrument
nav-locations = Places
nav-account = My account
sign-out = Sign out
signed-in-as = { $name } ({ $role })

role-admin = administrator
role-supervisor = supervisor
role-caseworker = caseworker
role-analyst = hotline analyst
role-monitor = monitoring officer
role-partner = partner system
role-liaison = law-enforcement liaison officer

month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
date-long = { $day } { $month } { $year }

children-count = { $count ->
    [one] { $count } child
   *[other] { $count } children
}

yes = Yes
no = No
not-known = Not known
choose = Choose…
save = Save
go-back = Go back
fix-errors-title = Some answers need a change
fix-errors = Please check the answers marked below; nothing was saved yet.

problem-title = This could not be done
problem-400 = Something in the request was not understood.
problem-401 = Please sign in again.
problem-403 = Your role or area does not allow this.
problem-404 = This page or record does not exist, or is not in your area.
problem-409 = This cannot be done now: the record is not in a state that allows it (it may already be done, closed or answered). Reload the page to see where it stands.
problem-413 = What you sent is too large.
problem-422 = Some of what you sent cannot be used.
problem-429 = Too many attempts. Wait a little and try again.
problem-500 = Something went wrong on our side. Nothing was changed. Try again, and tell your administrator if it happens again.
problem-503 = Haven is busy or its database cannot be reached. Nothing was changed. Try again in a few minutes.
problem-detail = Details for your administrator (in English)
problem-form-expired = This form has expired or did not come from Haven. Go back, reload the page and try again.
not-found-title = Page not found
not-found-text = There is no page at this address. It may have moved, or the link may be wrong.
not-found-home = Go to the start page

account-title = My account
account-language = Language
account-language-browser = As my browser asks
account-language-hint = The language Haven's pages use for you, on any computer you sign in on.
account-saved = Your settings are saved.
account-second-factor = Set up or change the second sign-in step
error-language = Choose one of the languages offered.
