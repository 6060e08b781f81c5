# Ce que les listes de travail partagent (Aujourd'hui, dossiers, orientations).

late-by-days = { $n ->
    [one] 1 jour de retard
   *[other] { $n } jours de retard
}
late-by-hours = { $n ->
    [one] 1 heure de retard
   *[other] { $n } heures de retard
}
late-by-minutes = moins d'une heure de retard

date-time = { $date } à { $time }

cases-any = Tous
cases-any-place = Partout dans ma zone
cases-col-district = District
cases-search-label = Choisir les dossiers à afficher
cases-sort = Ordre
cases-sort-due = Échéance la plus proche d'abord
cases-sort-risk = Risque le plus élevé d'abord
cases-sort-updated = Dernière modification d'abord
cases-show = Afficher
cases-pages = Pages de la liste
cases-previous-page = Page précédente
cases-next-page = Page suivante
cases-caseload = Charge de travail par travailleur social
cases-caseload-open = Dossiers ouverts
cases-caseload-overdue = En retard
cases-caseload-high = Risque élevé ou critique
cases-caseload-awaiting = En attente d'approbation

task-heading = Ce qui vous attend maintenant
task-none = Rien ne vous attend. Bon travail.
task-due-by = à faire avant le { $when }
task-report-danger = Un enfant en danger immédiat : { $category }
task-report-late = Signalement à trier, en retard : { $category }
task-report-no-place = lieu non indiqué
task-case = { $risk } · { $step }
task-plan-approval = Plan en attente de votre approbation : { $child }
task-closure-approval = Clôture en attente de votre approbation : { $child }
task-referral = Orientation en attente de réponse de votre organisme : { $service }
today-in-area = Dans votre zone

referral-title = Orientation vers { $service }
referral-child = L'enfant
referral-open-case = ouvrir le dossier
referral-age = Âge
referral-sex = Sexe
referral-district = District
referral-asked = Ce qui est demandé
referral-service = Service
referral-reason = Motif de l'orientation
referral-respond-by = Répondre avant le
referral-who = Qui oriente
referral-referrer = Travailleur social
referral-reach = Comment le joindre
referral-no-contact = non indiqué : passez par son organisme
referral-sent = Envoyée le
referral-family = Contact de la famille
referral-no-caregivers = Aucune personne responsable n'est enregistrée.
referral-no-consent = Le consentement au partage des coordonnées de la famille n'a pas été donné : joignez la famille par l'intermédiaire du travailleur social.
referral-confirm-accept = Je confirme que mon organisme prend en charge cette orientation.
referral-confirm-decline = Je confirme que mon organisme refuse cette orientation.
referral-confirm-complete = Je confirme que le service a été fourni.
referral-error-confirm = Cochez la case pour confirmer votre réponse.
referral-back = Toutes les orientations
referral-open = Ouvrir

account-contact = Comment vos collègues peuvent vous joindre
account-contact-hint = Un téléphone ou une adresse professionnels. Les organismes vers lesquels vous orientez des enfants le voient, pour vous poser des questions sur une orientation.
account-error-contact = Indiquez une seule ligne de 200 caractères au plus.

case-next-closed = Le dossier est clos. Si l'enfant a de nouveau besoin d'aide, il peut être rouvert.
case-next-plan-waiting = En attente de l'approbation du plan par un superviseur.
case-next-closure-waiting = En attente de l'approbation de la clôture par un superviseur.
case-next-identification = Prochaine étape : { $who } évalue l'enfant.
case-next-planning = Prochaine étape : { $who } rédige le plan de prise en charge et l'envoie pour approbation.
case-next-follow-up = Prochaine étape : { $who } met en œuvre le plan et enregistre un suivi avant le { $when }.
case-next-follow-up-undated = Prochaine étape : { $who } met en œuvre le plan et enregistre un suivi.
case-drivers-title = Ce qui a accru le risque lors de la dernière évaluation
case-refer-recommended = Recommandés pour cet enfant
case-refer-others = Autres services du district
case-refer-no-consent = Le consentement au partage des informations de cet enfant n'est pas enregistré. Enregistrez-le d'abord si possible ; n'orientez sans lui que si la sécurité de l'enfant l'exige.
case-refer-no-consent-why = Pourquoi orienter sans consentement
case-error-without-consent = Expliquez pourquoi l'orientation ne peut pas attendre le consentement.
case-move-no-consent = Le consentement au partage des informations de cet enfant n'est pas enregistré : un transfert vers un autre organisme les partage. Expliquez pourquoi dans le motif.
case-note-referral-without-consent = Orientation sans consentement enregistré : { $why }
case-note-transfer-without-consent = Transfert sans consentement enregistré : { $why }

referrals-search-label = Choisir les orientations à afficher
referrals-only-late = Seulement celles en attente au-delà du délai

institutions-title = Institutions de prise en charge et écoles
institutions-intro = Chaque institution de prise en charge et chaque école de votre zone, et la date de leur dernière inspection. Les enfants placés sont mieux protégés là où les institutions sont enregistrées, suivies et inspectées régulièrement.
institutions-none = Aucune institution n'est encore enregistrée dans votre zone.
institutions-add = Ajouter une institution
institutions-add-button = Ajouter l'institution
institution-kind = Type
institution-kind-care_institution = Institution de prise en charge
institution-kind-school = École
institution-name = Nom
institution-district = District
institution-registered = Enregistrée auprès de l'autorité
institution-monitored = Suivie régulièrement
institution-status = Enregistrement et suivi
institution-is-registered = enregistrée
institution-not-registered = non enregistrée
institution-is-monitored = suivie
institution-not-monitored = non suivie
institution-last = Dernière inspection
institution-never = jamais inspectée
institution-no-date = aucune date fixée
institution-overdue = inspection en retard
institution-overdue-long = L'inspection de cette institution est en retard.
institution-next = Prochaine inspection prévue
institution-children = Enfants qui y sont rattachés
institution-change = Modifier l'institution
institution-error-kind = Indiquez s'il s'agit d'une institution de prise en charge ou d'une école.
institution-error-name = Indiquez le nom de l'institution.
institution-error-location = Choisissez un district de votre zone.
inspections-title = Inspections
inspections-none = Aucune inspection n'est encore enregistrée.
inspection-head = { $day } · { $who }
inspection-next = Prochaine inspection prévue le { $day }
inspection-recorded-by = enregistrée par { $who }
inspection-record = Enregistrer une inspection
inspection-day = Jour de l'inspection
inspection-inspector = Qui a inspecté (un nom ou une équipe)
inspection-findings = Constats, et suites à donner
inspection-next-due = Prochaine inspection prévue (facultatif)
inspection-save = Enregistrer l'inspection
inspection-error-day = Indiquez le jour de l'inspection ; il ne peut pas être dans le futur.
inspection-error-next = Indiquez un jour postérieur à l'inspection, ou laissez vide.
inspection-error-inspector = Indiquez qui a inspecté.
inspection-error-findings = Décrivez les constats (5 000 caractères au plus).
admin-institutions = Institutions de prise en charge et écoles

triage-search-label = Choisir les signalements à afficher
triage-only-danger = Seulement un enfant en danger immédiat
triage-only-late = Seulement ceux dont le délai est dépassé
child-institution = Établissement de prise en charge ou école
child-institution-none = Aucun
child-institution-not-recorded = Aucun établissement de prise en charge ni aucune école n’est enregistré pour cet enfant.
child-institution-choose = L’établissement de prise en charge ou l’école où l’enfant vit ou étudie
