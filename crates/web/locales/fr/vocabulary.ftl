# Les listes fermées de valeurs communes à toutes les pages, un message par
# valeur, nommé « <liste>-<valeur telle que l'API l'écrit> ».

sex-female = Féminin
sex-male = Masculin
sex-other = Autre
sex-unknown = Inconnu

birth-registration-registered = Enregistrée
birth-registration-not_registered = Non enregistrée
birth-registration-unknown = Inconnue

living-family = En famille
living-kinship_care = Chez des proches
living-institution = En institution de prise en charge
living-street = Vit ou travaille dans la rue
living-unaccompanied_migrant = Migrant non accompagné
living-child_headed_household = Ménage dirigé par un enfant

location-level-country = Pays
location-level-region = Région
location-level-district = District

risk-level-low = Faible
risk-level-medium = Moyen
risk-level-high = Élevé
risk-level-critical = Critique
risk-level-unassessed = Pas encore évalué

prevention-layer-primary = Prévention primaire (tous les enfants)
prevention-layer-secondary = Prévention secondaire (enfants à risque)
prevention-layer-tertiary = Prévention tertiaire (victimes)

factor-level-child = L'enfant
factor-level-family = Famille et personnes qui s'en occupent
factor-level-community = Communauté et normes sociales
factor-level-institutional = Accès au droit et aux institutions
factor-level-socioeconomic = Revenus et conditions de vie
factor-level-environmental = Catastrophes et autres chocs
factor-level-online = Vie en ligne et demande

case-step-identification = Identification
case-step-assessment = Évaluation
case-step-planning = Planification
case-step-implementation = Mise en œuvre
case-step-follow_up = Suivi
case-step-closed = Clos

plan-status-none = Pas encore de plan
plan-status-submitted = En attente d'approbation
plan-status-approved = Approuvé
plan-status-returned = Renvoyé pour modification

consent-not_asked = Pas encore demandé
consent-given = Donné
consent-refused = Refusé

sector-social_welfare = Protection sociale de l'enfance
sector-education = Éducation
sector-health = Santé
sector-justice = Justice
sector-police = Police
sector-civil_registration = État civil
sector-social_protection = Aide sociale

referral-kind-service = Service
referral-kind-adoption = Adoption

referral-status-sent = En attente de réponse
referral-status-accepted = Acceptée
referral-status-declined = Refusée
referral-status-completed = Terminée

report-category-child_at_risk = Enfant en danger
report-category-abuse = Maltraitance
report-category-sexual_exploitation = Exploitation sexuelle
report-category-sale_or_trafficking = Vente ou traite
report-category-child_marriage = Mariage d'enfant
report-category-illegal_adoption = Adoption illégale
report-category-abuse_material_online = Contenus pédocriminels en ligne
report-category-grooming_online = Sollicitation en ligne

reporter-kind-child = L'enfant
reporter-kind-friend = Un ami ou une amie
reporter-kind-parent = Un parent ou une personne qui s'en occupe
reporter-kind-professional = Un ou une professionnelle
reporter-kind-other_adult = Un autre adulte
reporter-kind-anonymous = Anonyme

decision-open_case = Ouvrir un dossier
decision-hotline = Transmettre à la ligne de signalement
decision-police = Transmettre à la police
decision-close = Clore

report-status-received = Reçu
report-status-in_review = En cours d'examen
report-status-action_taken = Mesures prises
report-status-closed = Clos

hotline-assessment-illegal = Illégal
hotline-assessment-not_illegal = Non illégal
hotline-assessment-needs_second_opinion = Second avis nécessaire

age-band-infant = Nourrisson
age-band-prepubescent = Prépubère
age-band-pubescent = Pubère
age-band-unknown = Inconnu

hotline-action-notice_sent = Demande de retrait envoyée
hotline-action-law_enforcement = Transmis aux forces de l'ordre
hotline-action-forwarded = Transmis à l'étranger
hotline-action-removed = Retiré

url-level-url = Cette adresse seulement
url-level-prefix = Tout ce qui est sous ce chemin
url-level-domain = Le domaine entier

## Forms of exploitation recorded on a case (casework::ExploitationForm).
exploitation-sale = Vente de l'enfant
exploitation-trafficking = Traite
exploitation-sexual_exploitation = Exploitation sexuelle
exploitation-abuse_material = Contenus d'abus sexuels sur enfant
exploitation-online_grooming = Sollicitation en ligne ou sextorsion
exploitation-child_marriage = Mariage d'enfant
exploitation-forced_labour = Travail forcé
exploitation-other = Une autre forme
