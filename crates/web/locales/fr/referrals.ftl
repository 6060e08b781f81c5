# Orientations : les réponses du service destinataire, et les chiffres par service.

referrals-title = Orientations
referrals-to-agency = Orientations vers { $agency }
referrals-all = Toutes les orientations
referrals-sent-title = Envoyées pour des enfants de votre zone
referrals-by-agency-title = Par service destinataire
referrals-none = Aucune.
referrals-none-yet = Aucune orientation pour l’instant.
referrals-child = Enfant
referrals-service-reason = Service et motif
referrals-from = De
referrals-to = Vers
referrals-status = État
referrals-due = Réponse attendue le
referrals-answer = Réponse
referrals-their-answer = Leur réponse
referrals-overdue-since = en retard depuis le { $when }
referrals-receiving-agency = Service destinataire
referrals-waiting = En attente
referrals-overdue = En retard
referrals-accept = Accepter
referrals-decline = Refuser
referrals-decline-reason = Motif du refus
referrals-complete = Marquer comme terminée
referrals-what-was-done = Ce qui a été fait
referrals-error-reason = Indiquez pourquoi votre service refuse cette orientation, afin que le travailleur social puisse trouver un autre service.
referrals-error-note = Raccourcissez la note, en texte simple.
