# Les pages des enfants : la liste et sa recherche, le formulaire
# d'enregistrement et de modification, la page d'un enfant.

children-title = Enfants
children-search-label = Rechercher des enfants
children-name = Nom
children-name-example = p. ex. Amina Diallo
children-place = Lieu
children-any-place = Tous les lieux
children-sex = Sexe
children-age = Âge
children-any = Tous
children-any-age = Tous les âges
children-birth-registration = Enregistrement de la naissance
children-search = Rechercher
children-none = Aucun enfant ne correspond.
children-next-page = Page suivante
children-col-name = Nom
children-col-sex = Sexe
children-col-age = Âge
children-col-district = District
children-col-birth-registration = Enregistrement de la naissance
children-age-band = { $first } à { $last } ans
child-age-about = environ { $n }
children-error-search-name = Recherchez avec 100 caractères au plus.
children-error-filter = Choisissez l'une des options proposées.

child-register-title = Enregistrer un enfant
child-edit-title = Modifier le dossier de { $name }
child-fieldset-child = L'enfant
child-given-name = Prénom
child-family-name = Nom de famille
child-family-name-hint = Laissez vide s'il n'est pas connu.
child-sex = Sexe
child-birth-legend = Date de naissance ou âge
child-birth-hint = Indiquez la date de naissance si elle est connue ; sinon, un âge estimé en années.
child-date-of-birth = Date de naissance
child-estimated-age = Âge estimé en années
child-district = District
child-birth-registration = Enregistrement de la naissance
child-living-situation = Situation de vie
child-minority-group = Groupe minoritaire ou autochtone (le cas échéant)
child-in-school = Va à l'école
child-disability = A un handicap
child-child-labour = Travaille (travail des enfants ou travail domestique)
child-household-legend = Ménage et principal responsable de l'enfant (facultatif)
child-address = Adresse ou indications pour s'y rendre
child-caregiver-given-name = Prénom du responsable
child-caregiver-family-name = Nom de famille du responsable
child-caregiver-relationship = Lien avec l'enfant
child-caregiver-relationship-hint = Par exemple mère, tante, grand-père.
child-caregiver-contact = Téléphone ou contact du responsable
child-save = Enregistrer
child-save-register = Enregistrer l'enfant

child-error-given-name = Indiquez le prénom de l'enfant.
child-error-too-long = Écrivez 100 caractères au plus.
child-error-address-too-long = Écrivez 500 caractères au plus.
child-error-contact-too-long = Écrivez 200 caractères au plus.
child-error-characters = Retirez de ce texte les caractères invisibles ou de contrôle.
child-error-sex = Choisissez le sexe de l'enfant, ou « Inconnu ».
child-error-dob-or-age = Indiquez une date de naissance ou un âge estimé.
child-error-dob-and-age = Indiquez soit une date de naissance, soit un âge estimé, pas les deux.
child-error-dob-format = Écrivez la date de naissance en entier, par exemple 2015-04-30.
child-error-dob-future = La date de naissance ne peut pas être dans le futur.
child-error-dob-adult = Avec cette date de naissance, la personne a 18 ans ou plus ; Haven enregistre les enfants de 0 à 17 ans.
child-error-age-number = Écrivez l'âge en années entières, par exemple 7.
child-error-age-range = Indiquez un âge entre 0 et 17 ans.
child-error-district = Choisissez un district de votre zone.
child-error-choose = Choisissez l'une des options proposées.
child-error-caregiver-name = Indiquez le prénom du responsable, ou laissez vides les informations sur le responsable.
child-error-relationship = Précisez le lien entre le responsable et l'enfant.
child-error-household = Ce ménage n'est pas dans votre zone.

child-registered = L'enfant a été enregistré.
child-saved = Le dossier a été enregistré.
child-edit-link = Modifier ce dossier
child-record-number = Numéro de dossier
child-age-value = { $count ->
    [one] { $count } an
   *[other] { $count } ans
}
child-born = né(e) le { $when }
child-born-estimated = estimation ; né(e) vers le { $when }
child-household = Ménage
child-caregiver = { $name } ({ $who })

duplicates-title = Doublons possibles
duplicates-text = Ces dossiers concernent peut-être le même enfant. Rien n'a été fusionné : vérifiez auprès de la famille ou de vos collègues avant d'agir.
duplicate-item = { $count ->
    [one] { $count } an
   *[other] { $count } ans
}, { $place }
duplicate-same-name = même nom
duplicate-same-name-transliterated = même nom une fois translittéré
duplicate-similar-name = nom proche ({ $score } % de ressemblance)
duplicate-same-birth = même date de naissance
duplicate-birth-days-apart = { $days ->
    [one] dates de naissance à { $days } jour d'écart
   *[other] dates de naissance à { $days } jours d'écart
}
duplicate-estimate-range = âges compatibles avec une estimation
duplicate-same-district = même district
duplicate-neighbour-district = district voisin dans la même région
