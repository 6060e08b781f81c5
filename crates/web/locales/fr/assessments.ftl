# La partie évaluation de la page d'un enfant : les résultats passés, le
# formulaire d'évaluation et celui pour confirmer ou changer le niveau.

assessment-title = Évaluations de vulnérabilité
assessment-chart = { $count ->
    [one] Score de vulnérabilité sur { $count } évaluation
   *[other] Score de vulnérabilité sur { $count } évaluations
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
