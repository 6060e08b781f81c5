# Commun à toutes les pages du personnel : mise en page, menu, rôles, dates,
# et réponses à une demande refusée ou échouée.

brand = Haven
skip-to-content = Aller au contenu principal
nav-label = Menu principal
nav-today = Aujourd'hui
nav-children = Enfants
nav-register-child = Enregistrer un enfant
nav-cases = Dossiers
nav-reports = Signalements
nav-referrals = Orientations
nav-services = Services
nav-hotline = Ligne de signalement
nav-hash-lists = Listes d'empreintes
nav-match-tester = Test de correspondance
nav-url-list = Liste d'URL
nav-instrument = Outil d'évaluation
nav-locations = Lieux
nav-account = Mon compte
sign-out = Se déconnecter
signed-in-as = { $name } ({ $role })

role-admin = administrateur
role-supervisor = superviseur
role-caseworker = travailleur social
role-analyst = analyste de la ligne de signalement
role-monitor = chargé de suivi-évaluation
role-partner = système partenaire
role-liaison = officier de liaison des forces de l'ordre

month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre
date-long = { $day } { $month } { $year }

children-count = { $count ->
    [one] { $count } enfant
   *[other] { $count } enfants
}

yes = Oui
no = Non
not-known = Inconnu
choose = Choisir…
save = Enregistrer
go-back = Retour
fix-errors-title = Certaines réponses sont à corriger
fix-errors = Vérifiez les réponses signalées ci-dessous ; rien n'a encore été enregistré.

problem-title = Cette action n'a pas pu être faite
problem-400 = Une partie de la demande n'a pas été comprise.
problem-401 = Veuillez vous reconnecter.
problem-403 = Votre rôle ou votre zone ne le permet pas.
problem-404 = Cette page ou cette fiche n'existe pas, ou n'est pas dans votre zone.
problem-409 = Ce n'est pas possible pour le moment : la fiche n'est pas dans un état qui le permet (c'est peut-être déjà fait, clos ou répondu). Rechargez la page pour voir où elle en est.
problem-413 = Ce que vous avez envoyé est trop volumineux.
problem-422 = Une partie de ce que vous avez envoyé ne peut pas être utilisée.
problem-429 = Trop de tentatives. Attendez un peu et réessayez.
problem-500 = Un problème est survenu de notre côté. Rien n'a été modifié. Réessayez, et prévenez votre administrateur si cela se reproduit.
problem-503 = Haven est occupé ou sa base de données est injoignable. Rien n'a été modifié. Réessayez dans quelques minutes.
problem-detail = Détails pour votre administrateur (en anglais)
problem-form-expired = Ce formulaire a expiré ou ne vient pas de Haven. Revenez en arrière, rechargez la page et réessayez.
not-found-title = Page introuvable
not-found-text = Il n'y a pas de page à cette adresse. Elle a peut-être été déplacée, ou le lien est erroné.
not-found-home = Aller à la page d'accueil

account-title = Mon compte
account-language = Langue
account-language-browser = Celle de mon navigateur
account-language-hint = La langue des pages de Haven pour vous, sur tout ordinateur où vous vous connectez.
account-saved = Vos réglages sont enregistrés.
account-second-factor = Configurer ou modifier la seconde étape de connexion
error-language = Choisissez l'une des langues proposées.
