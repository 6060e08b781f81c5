# La seconde étape de connexion : un code d'une application d'authentification après le mot de passe.

second-factor-code-title = Saisissez votre code
second-factor-code-intro = Votre mot de passe est correct. Ouvrez l'application d'authentification sur votre téléphone et saisissez les six chiffres qu'elle affiche pour Haven.
second-factor-code = Code
second-factor-code-hint = Pas de téléphone sous la main ? Saisissez plutôt l'un de vos codes de secours.
second-factor-continue = Continuer
second-factor-wrong-code = Ce code n'est pas le bon. Saisissez les six chiffres affichés maintenant par l'application, ou un code de secours non utilisé.
second-factor-wait = Trop de codes erronés. Attendez une minute et réessayez.
second-factor-title = Seconde étape de connexion
second-factor-intro = Avec une seconde étape, quelqu'un qui apprendrait votre mot de passe ne pourrait toujours pas se connecter à votre place : Haven demande aussi un code venant d'une application sur votre téléphone.
second-factor-must-enrol = Votre rôle doit utiliser une seconde étape de connexion. Configurez-la maintenant pour continuer.
second-factor-begin = Configurer une application d'authentification
second-factor-scan-title = Associez votre téléphone
second-factor-step-app = Installez une application d'authentification sur votre téléphone (toute application qui lit les codes TOTP).
second-factor-step-scan = Dans l'application, ajoutez un compte et scannez ce code.
second-factor-step-type = Impossible de scanner ? Saisissez cette clé dans l'application :
second-factor-step-code = Saisissez les six chiffres que l'application affiche maintenant pour Haven.
second-factor-qr-label = Code QR à scanner avec une application d'authentification
second-factor-confirm = Activer la seconde étape
second-factor-on = { $count ->
    [one] La seconde étape est activée. Il vous reste un code de secours non utilisé.
   *[other] La seconde étape est activée. Il vous reste { $count } codes de secours non utilisés.
}
second-factor-remove = Désactiver la seconde étape
second-factor-recovery-title = Vos codes de secours
second-factor-recovery-once = Notez-les ou imprimez-les maintenant et gardez-les à l'écart de votre téléphone. Chacun sert une fois, si vous perdez votre téléphone. Ils ne seront plus affichés.
second-factor-recovery-done = Je les ai conservés : continuer
second-factor-roles-title = Qui doit l'utiliser
second-factor-roles = Rôles qui doivent utiliser une seconde étape de connexion
second-factor-roles-hint = Les personnes de ces rôles la configureront à leur prochaine connexion. Les systèmes partenaires utilisent des jetons d'API et ne sont pas concernés.
