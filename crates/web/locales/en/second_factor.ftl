# The second factor: a code from an authenticator app after the password.

second-factor-code-title = Enter your code
second-factor-code-intro = Your password was right. Open the authenticator app on your phone and type the six digits it shows for Haven.
second-factor-code = Code
second-factor-code-hint = No phone with you? Type one of your recovery codes instead.
second-factor-continue = Continue
second-factor-wrong-code = That code is not right. Type the six digits the app shows now, or an unused recovery code.
second-factor-wait = Too many wrong codes. Wait a minute and try again.
second-factor-title = Second sign-in step
second-factor-intro = With a second step, someone who learns your password still cannot sign in as you: Haven also asks for a code from an app on your phone.
second-factor-must-enrol = Your role must use a second sign-in step. Set it up now to go on.
second-factor-begin = Set up an authenticator app
second-factor-scan-title = Connect your phone
second-factor-step-app = Install an authenticator app on your phone (any app that reads TOTP codes).
second-factor-step-scan = In the app, add an account and scan this code.
second-factor-step-type = Cannot scan? Type this key into the app:
second-factor-step-code = Type the six digits the app now shows for Haven.
second-factor-qr-label = QR code to scan with an authenticator app
second-factor-confirm = Turn on the second step
second-factor-on = { $count ->
    [one] The second step is on. You have one unused recovery code.
   *[other] The second step is on. You have { $count } unused recovery codes.
}
second-factor-remove = Turn off the second step
second-factor-recovery-title = Your recovery codes
second-factor-recovery-once = Write these down or print them now and keep them apart from your phone. Each works once, if you lose your phone. They will not be shown again.
second-factor-recovery-done = I have kept them: go on
second-factor-roles-title = Who must use it
second-factor-roles = Roles that must use a second sign-in step
second-factor-roles-hint = People in these roles set it up the next time they sign in. Partner systems use API tokens and are not affected.
