# The sign-in page.

signin-title = Se connecter
signin-name = Nom d'utilisateur
signin-password = Mot de passe
signin-submit = Se connecter
signin-language = Langue
signin-expired = Le formulaire de connexion a expiré. Veuillez réessayer.
signin-wrong = Ce nom d'utilisateur et ce mot de passe ne correspondent pas.
signin-wait = { $count ->
    [one] Trop de tentatives erronées. Attendez { $count } seconde, puis réessayez.
   *[other] Trop de tentatives erronées. Attendez { $count } secondes, puis réessayez.
}
