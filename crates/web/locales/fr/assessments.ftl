# La partie évaluation de la page d'un enfant : les résultats passés, le
# formulaire d'évaluation et celui pour confirmer ou changer le niveau.

assessment-title = Évaluations de vulnérabilité
assessment-chart = { $count ->
    [one] Niveau dans le temps, { $count } évaluation : chaque date et chaque niveau figurent dans le tableau ci-dessous
   *[other] Niveaux dans le temps, { $count } évaluations : chaque date et chaque niveau figurent dans le tableau ci-dessous
}
assessment-none = Aucune évaluation pour l'instant.
assessment-col-date = Date
assessment-col-level = Niveau
assessment-col-prevention = Prévention
assessment-col-factors = Principaux facteurs
assessment-col-caseworker = Appréciation du travailleur social
assessment-urgent = URGENT
assessment-driver = { $name } ({ $score } %)
assessment-set-by = fixé à { $level } par { $who } : { $name }
assessment-confirmed = confirmé : { $level }
assessment-not-confirmed = pas encore confirmé
assessment-assess-now = Évaluer maintenant (instrument, version { $n })
assessment-protects = protège
assessment-safety = sécurité immédiate
assessment-save = Enregistrer l'évaluation
assessment-recommended = Services recommandés
assessment-recommendation = { $name } pour { $who } :
assessment-no-service = aucun service de l'annuaire ne couvre encore ce district
assessment-service = { $name } ({ $who })
assessment-confirm-level = Niveau selon votre propre appréciation
assessment-confirm-reason = Motif, si vous changez le niveau
assessment-confirm = Confirmer le niveau

assessment-done = Évaluation : { $level }. Vérifiez les facteurs ci-dessous, puis confirmez ou changez le niveau.
assessment-done-urgent = Évaluation : { $level } et urgent : un danger immédiat a été signalé. Agissez maintenant.
assessment-level-confirmed = Le niveau est enregistré.

assessment-error-level = Choisissez faible, moyen, élevé ou critique.
assessment-error-reason = Vous avez changé le niveau : dites pourquoi, en quelques mots.
assessment-error-reason-too-long = Écrivez 10 000 caractères au plus.

# Le formulaire d'évaluation (sa propre page) et le dernier résultat.
assessment-new-title = Évaluer { $name }
assessment-new-intro = Répondez oui, non ou inconnu pour chaque facteur. Inconnu n'est pas non : le résultat nomme les facteurs inconnus, et le niveau reste provisoire tant que personne ne s'est renseigné.
assessment-from-record = D'après le dossier de l'enfant ({ $name }) ; modifiez la réponse si ce n'est plus vrai.
assessment-prefilled = { $count ->
    [one] Une réponse est déjà remplie d'après le dossier de l'enfant.
   *[other] { $count } réponses sont déjà remplies d'après le dossier de l'enfant.
}
assessment-notes = Notes
assessment-notes-hint = Ce que vous avez vu et entendu, et qui vous l'a dit. Les notes sont conservées sous scellé, comme les notes de dossier.
assessment-error-answer = Choisissez oui, non ou inconnu.
assessment-error-notes = Écrivez 10 000 caractères au plus.
assessment-back = Retour à la page de l'enfant
assessment-latest = Dernier résultat
assessment-latest-level = Niveau calculé : { $level }
assessment-at-least = au moins { $level }
assessment-provisional = Provisoire : une fois les facteurs inconnus connus, le niveau pourrait aller de { $low } à { $high }.
assessment-could-rise = Si les facteurs inconnus sont présents, le niveau pourrait monter jusqu'à { $high }.
assessment-unknown = { $count ->
    [one] Un facteur inconnu : { $names }.
   *[other] { $count } facteurs inconnus : { $names }.
}
assessment-critical-alert = Niveau critique. Cet enfant a besoin d'une protection immédiate : assurez-vous aujourd'hui qu'il est en sécurité, prévenez votre superviseur et appelez la police si l'enfant est en danger.
assessment-notes-shown = Notes : { $name }
assessment-chart-title = Niveaux dans le temps
assessment-chart-date = Date
assessment-chart-level = Niveau
assessment-level-at-least = { $level } (au moins)
assessment-level-provisional = { $level } (provisoire)

# Facteurs de l'instrument fourni, en termes simples.
assessment-factor-young_age = Jeune : moins de 12 ans
assessment-factor-girl_or_gender_risk = En danger en raison de son genre, par exemple une fille poussée à se marier tôt
assessment-factor-disability = A un handicap
assessment-factor-minority_or_indigenous = Issu d'une minorité ou d'un peuple autochtone victime de discrimination
assessment-factor-no_birth_registration = Naissance non enregistrée
assessment-factor-street_child = Vit ou travaille dans la rue
assessment-factor-child_labour = Travail des enfants ou travail domestique
assessment-factor-unaccompanied_migrant = Enfant migrant sans parents ni personne qui s'en occupe
assessment-factor-in_institution = Vit dans une institution de prise en charge
assessment-factor-risky_behaviours = Comportements à risque, comme la consommation d'alcool ou de drogues ou les fugues
assessment-factor-caregivers_absent = Parents ou personnes qui s'en occupent absents
assessment-factor-caregiver_illness_or_death = Une personne qui s'en occupe est gravement malade ou décédée
assessment-factor-family_migration = Les parents sont partis travailler ailleurs
assessment-factor-domestic_violence = Violence au sein du foyer
assessment-factor-caregiver_substance_abuse = Une personne qui s'en occupe abuse de l'alcool ou de drogues
assessment-factor-caregiver_disability = Une personne qui s'en occupe a un handicap et peu de soutien
assessment-factor-accepts_child_marriage = La communauté accepte le mariage d'enfants
assessment-factor-transactional_sex_norm = La communauté tolère les relations sexuelles en échange d'argent ou de cadeaux
assessment-factor-violence_accepted = La violence envers les enfants est acceptée dans la communauté
assessment-factor-gangs = Des bandes ou des groupes criminels recrutent dans le quartier
assessment-factor-unsafe_public_spaces = Le chemin de l'école ou du travail n'est pas sûr
assessment-factor-no_complaint_mechanism = Aucun moyen de se plaindre ou de signaler accessible à l'enfant
assessment-factor-not_in_school = Pas inscrit à l'école, ou n'y va pas
assessment-factor-institution_unmonitored = L'institution n'est pas enregistrée ou pas inspectée
assessment-factor-poverty = Le foyer est pauvre (ne compte pleinement qu'avec un autre risque ou un choc)
assessment-factor-basic_needs_unmet = Besoins essentiels non couverts : nourriture, logement ou soins
assessment-factor-income_pressure_on_child = On attend de l'enfant qu'il gagne de l'argent pour la famille
assessment-factor-environmental_shock = Sécheresse, catastrophe, conflit ou déplacement
assessment-factor-self_generated_images = A partagé des images sexuelles de lui-même ou d'elle-même
assessment-factor-online_grooming_contact = Un adulte a cherché en ligne un contact sexuel
assessment-factor-tourism_area = Vit ou travaille là où viennent des délinquants sexuels de passage
assessment-factor-recruitment_offer = A reçu d'inconnus des offres d'emploi, de voyage ou de mannequinat
assessment-factor-immediate_danger = En danger maintenant : violences en cours, exploitation en cours ou sur le point d'être déplacé
assessment-factor-already_victim = Déjà victime de vente, de traite ou d'exploitation sexuelle
assessment-factor-attends_school = Va régulièrement à l'école
assessment-factor-supportive_caregiver = Un adulte bienveillant à la maison qui soutient l'enfant
assessment-factor-community_support = Soutien de la communauté ou d'un groupe religieux
assessment-factor-protective_norms = Des coutumes de la communauté qui protègent les enfants
assessment-factor-knows_how_to_report = Sait comment et où signaler des violences
