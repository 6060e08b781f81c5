# La hotline : contenus signalés, leur évaluation et les suites données,
# les chiffres publiés, et le bureau des analystes et des chargés de suivi.

hotline-title = Hotline
hotline-none = —
hotline-percent = { $n } %
hotline-hours = { $n } h
hotline-published-figures = Chiffres publiés
hotline-figures-received = signalements reçus
hotline-figures-illegal = jugés illégaux ({ $count } sur { $total } évalués)
hotline-figures-median = délai médian entre le signalement et le retrait
hotline-figures-p90 = délai de retrait pour 9 contenus sur 10 (90e centile)
hotline-figures-within-3-days = retirés en 3 jours ou moins
hotline-desk-waiting = En attente
hotline-desk-figures = Chiffres de la hotline
hotline-desk-to-triage = { $count ->
    [one] signalement à trier
   *[other] signalements à trier
}
hotline-desk-danger = avec un enfant en danger immédiat
hotline-desk-late = { $count ->
    [one] signalement en retard
   *[other] signalements en retard
}
hotline-desk-to-assess = { $count ->
    [one] contenu à évaluer
   *[other] contenus à évaluer
}
hotline-reported-material = Contenus signalés
hotline-do-not-open = N’ouvrez pas ces adresses en dehors du poste de travail sécurisé.
hotline-no-items = Aucun contenu signalé pour l’instant.
hotline-address = Adresse
hotline-state = État
hotline-reported = Signalé le
hotline-hosted-in = Hébergé en
hotline-add-label = Ajouter une adresse trouvée autrement (par exemple, transmise par un partenaire)
hotline-add = Ajouter le contenu
hotline-state-to-assess = à évaluer
hotline-state-second-opinion = second avis nécessaire
hotline-state-not-illegal = pas illégal
hotline-state-send-notice = illégal : envoyer la notification
hotline-state-waiting-removal = illégal : en attente du retrait
hotline-state-removed = retiré
hotline-sex-both = Les deux
hotline-item-title = Contenu signalé
hotline-item-reveal = Afficher l’image (elle reste floue et en gris tant que vous ne le choisissez pas)
hotline-item-image-alt = L’image qui vient d’être hachée
hotline-item-assessment = Évaluation
hotline-item-not-yet = pas encore
hotline-item-by = par { $who } le { $when }
hotline-item-who-when = { $who } le { $when }
hotline-item-second-analyst = Second analyste
hotline-item-category = Catégorie
hotline-item-category-hint = Telle que la loi nationale la nomme. Obligatoire si le contenu est illégal.
hotline-item-depicted = Enfants représentés
hotline-item-hosting = Hébergement
hotline-item-notice = Notification envoyée
hotline-item-police = Forces de l’ordre
hotline-item-forwarded = Transmis
hotline-item-listed = Sur la liste d’adresses
hotline-item-listed-no-longer = Plus maintenant (le retrait est publié)
hotline-item-removed = Retiré
hotline-item-assess-title = Évaluer
hotline-item-assessment-label = Au regard de la loi nationale, le contenu est
hotline-item-age-label = Âge apparent des enfants
hotline-item-sex-label = Sexe apparent
hotline-item-country-label = Pays d’hébergement (deux lettres, par exemple NL)
hotline-item-provider-label = Hébergeur
hotline-item-assess-button = Enregistrer l’évaluation
hotline-item-confirm-text = Un second analyste peut confirmer cette évaluation.
hotline-item-confirm-button = Confirmer l’évaluation
hotline-item-notice-button = Notification de retrait envoyée à l’hébergeur
hotline-item-police-button = Transmis aux forces de l’ordre
hotline-item-forward-label = Hotline du pays d’hébergement
hotline-item-forward-button = Transmis à l’étranger
hotline-item-removed-text = Vérifié : le contenu a disparu. Cela enregistre l’heure du retrait et retire l’adresse de la liste.
hotline-item-removed-button = Contenu retiré
hotline-item-hash-title = Ajouter l’empreinte d’une image confirmée à une liste
hotline-item-hash-text = L’image est hachée puis supprimée ; elle n’est jamais conservée.
hotline-item-list-label = Liste
hotline-item-image-label = Fichier image
hotline-item-hash-button = Hacher et ajouter à la liste
hotline-item-from-report = Le signalement d’origine
hotline-done-assessed = Évaluation enregistrée.
hotline-done-confirmed = Évaluation confirmée.
hotline-done-recorded = Enregistré.
hotline-done-hashed = L’empreinte de l’image a été ajoutée à la liste et l’image supprimée.
hotline-error-url-missing = Indiquez l’adresse web du contenu.
hotline-error-url = Indiquez une adresse web complète, commençant par http:// ou https://.
hotline-error-assessment = Choisissez ce qu’est le contenu au regard de la loi nationale.
hotline-error-category = Indiquez la catégorie du contenu selon la loi nationale.
hotline-error-category-long = La catégorie ne doit pas dépasser 60 caractères.
hotline-error-age-band = Choisissez l’âge apparent dans la liste.
hotline-error-sex = Choisissez le sexe apparent dans la liste.
hotline-error-country = Indiquez le pays d’hébergement en deux lettres, par exemple NL.
hotline-error-provider = L’hébergeur ne doit pas dépasser 120 caractères.
hotline-error-forwarded = Nommez la hotline, et son pays, à laquelle le signalement a été transmis.
hotline-error-list = Choisissez la liste à laquelle ajouter l’image.
hotline-error-image = Choisissez un fichier image.
hotline-error-image-large = Cette image est trop grande. Choisissez un fichier plus petit.
hotline-error-image-unusable = Ce fichier ne peut pas être utilisé : ce n’est pas une image que Haven sait lire, ou elle a trop peu de détails pour être comparée.
