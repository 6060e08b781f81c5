# The sign-in page.

signin-title = Sign in
signin-name = User name
signin-password = Password
signin-submit = Sign in
signin-language = Language
signin-expired = The sign-in form expired. Please try again.
signin-wrong = That user name and password do not match.
signin-wait = { $count ->
    [one] Too many wrong attempts. Wait { $count } second and try again.
   *[other] Too many wrong attempts. Wait { $count } seconds and try again.
}
