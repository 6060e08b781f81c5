# Les pages des dossiers de suivi : la liste, un dossier avec les
# formulaires des étapes suivantes, et la partie dossier de la page d'un enfant.

cases-open = Dossiers ouverts
cases-mine = Mes dossiers
cases-overdue = Dossiers en retard
cases-awaiting = En attente d'un superviseur
cases-with-closed = Tous les dossiers, y compris clos
cases-filter-label = Quels dossiers
cases-filter-mine = Les miens
cases-filter-overdue = En retard
cases-filter-awaiting = En attente d'approbation
cases-filter-open = Tous les dossiers ouverts
cases-filter-closed = Y compris les dossiers clos
cases-none = Aucun dossier ici.
cases-moved = Le dossier a été transféré.
cases-col-child = Enfant
cases-col-step = Étape
cases-col-risk = Risque
cases-col-caseworker = Travailleur social
cases-col-due = Prochaine action avant le
cases-plan-waiting = plan en attente d'approbation
cases-closure-waiting = clôture en attente d'approbation
case-not-assessed = non évalué
case-urgent = URGENT
case-due-overdue = en retard depuis le { $when }
case-due-soon = dans la journée ({ $when })
case-due-none = —

case-title = Dossier de { $name }
case-heading = Dossier :
case-steps = Étapes du dossier
case-suggested = Orientation suggérée : { $name }
case-suggested-civil-registration = la naissance de l'enfant n'est pas enregistrée.
case-step = Étape
case-risk = Risque
case-caseworker = Travailleur social
case-agency = Organisme
case-due = Prochaine action avant le
case-consent = Consentement
case-views = L'avis de l'enfant
case-views-none = non recueilli
case-adoptability = Adoptabilité
case-adoptability-none = aucune décision enregistrée
case-plan = Plan de prise en charge
case-plan-none = pas encore rédigé
case-next-title = Étapes suivantes
case-next-assess = Prochaine étape : évaluer l'enfant.
case-next-assess-link = Évaluer l'enfant
case-next-assess-after = Le dossier avance dès que l'évaluation est enregistrée.
case-closure-waiting = La clôture attend la décision d'un superviseur.

case-action-submit_plan = Envoyer le plan pour approbation
case-action-approve_plan = Approuver le plan
case-action-return_plan = Renvoyer le plan
case-action-follow_up = Enregistrer le suivi
case-action-request_closure = Demander la clôture du dossier
case-action-approve_closure = Approuver la clôture
case-action-reject_closure = Garder le dossier ouvert
case-action-reopen = Rouvrir le dossier
case-text-submit_plan = Plan de prise en charge : objectifs, services, qui fait quoi et pour quand
case-text-return_plan = Que faut-il changer ?
case-text-follow_up = Qu'a montré la visite ou le point de suivi ?
case-text-request_closure = Pourquoi le dossier peut-il être clos ?
case-text-reject_closure = Pourquoi le garder ouvert ?
case-text-reopen = Pourquoi le rouvrir ?

case-done-opened = Dossier ouvert.
case-done-submit_plan = Enregistré : le plan est envoyé pour approbation.
case-done-approve_plan = Enregistré : le plan est approuvé.
case-done-return_plan = Enregistré : le plan est renvoyé pour modification.
case-done-follow_up = Enregistré : le suivi est noté.
case-done-request_closure = Enregistré : la clôture est demandée ; un superviseur décide.
case-done-approve_closure = Enregistré : clôture approuvée.
case-done-reject_closure = Enregistré : le dossier reste ouvert.
case-done-reopen = Enregistré : le dossier est rouvert.
case-done-note = Note ajoutée.
case-done-consent = Consentement enregistré.
case-done-adoptability = Décision enregistrée.
case-done-referral = Orientation envoyée.

case-referrals-title = Orientations
case-referrals-none = Aucune orientation pour l'instant.
case-col-service = Service
case-col-agency = Organisme
case-col-status = Statut
case-col-answer = Réponse
case-col-deadline = Échéance
case-referral-adoption = adoption
case-referral-late = sans réponse depuis le { $when }
case-referral-due = réponse attendue le { $when }
case-refer-title = Orienter vers un service
case-refer-service = Service
case-refer-option = { $name } — { $who } ({ $service })
case-refer-suggested = { $name } (suggéré)
case-refer-kind = Type
case-refer-reason = Ce dont l'enfant a besoin de ce service
case-refer-send = Envoyer l'orientation

case-notes-title = Notes, consentement et avis de l'enfant
case-note = Note de suivi (conservée chiffrée)
case-note-add = Ajouter la note
case-consent-views = L'avis de l'enfant, avec ses propres mots
case-consent-record = Enregistrer
case-move-title = Réattribuer ou transférer
case-move-to = Identifiant du travailleur social
case-move-agency = Code du nouvel organisme (seulement pour un transfert)
case-move-reason = Motif
case-move = Déplacer le dossier
case-adopt-title = Enregistrer une décision d'adoptabilité
case-adopt-text = Qui a décidé, quand, sur quels motifs (recherche de la famille, avis et consentement de l'enfant)
case-adopt-record = Enregistrer la décision
case-history-title = Historique
case-event = { $when } · { $who } · { $name }

case-event-opened = dossier ouvert
case-event-note = note
case-event-consent = consentement
case-event-adoptability = adoptabilité
case-event-referral = orientation
case-event-assigned = réattribué
case-event-transferred = transféré
case-event-record_assessment = évaluation
case-event-submit_plan = plan envoyé pour approbation
case-event-approve_plan = plan approuvé
case-event-return_plan = plan renvoyé
case-event-follow_up = suivi
case-event-request_closure = clôture demandée
case-event-approve_closure = clôture approuvée
case-event-reject_closure = clôture refusée
case-event-reopen = rouvert
case-event-report = signalement

case-section-title = Dossier de suivi
case-section-open = Dossier ouvert
case-section-summary = { $name } · risque { $level } · prochaine action avant le { $when }
case-section-none = Aucun dossier ouvert.
case-section-closed = { $count ->
    [one] { $count } dossier clos dans l'historique.
   *[other] { $count } dossiers clos dans l'historique.
}
case-section-assign = Travailleur social qui suivra le dossier (identifiant)
case-section-open-button = Ouvrir un dossier

case-error-text = Écrivez quelques mots : cette étape en a besoin.
case-error-too-long = Écrivez 10 000 caractères au plus.
case-error-note = Écrivez la note.
case-error-consent = Choisissez l'une des options : pas encore demandé, donné ou refusé.
case-error-determination = Écrivez qui a décidé, quand et sur quels motifs.
case-error-assigned-to = Indiquez l'identifiant d'un travailleur social ou d'un superviseur qui travaille dans la zone de cet enfant.
case-error-agency = Indiquez un code d'organisme : 1 à 32 lettres, chiffres, « - » ou « _ ».
case-error-move-reason = Dites pourquoi le dossier change de mains.
case-error-service = Choisissez un service qui couvre le district de l'enfant.
case-error-kind = Une orientation vers l'adoption exige d'abord une décision d'adoptabilité enregistrée.
case-error-reason = Dites ce dont l'enfant a besoin de ce service.

## The form of exploitation a case is about.
case-exploitation = Forme d'exploitation
case-exploitation-hint = (si l'enfant est victime ; utilisée seulement dans des chiffres anonymes)
case-exploitation-none = Aucune enregistrée
case-exploitation-record = Enregistrer la forme
case-done-exploitation = Forme d'exploitation enregistrée.
case-event-exploitation = forme d'exploitation
case-error-exploitation = Choisissez une forme d'exploitation dans la liste, ou aucune.
