# Travail hors connexion (issue 16) : conflits venus des ordinateurs de terrain et ces ordinateurs.
nav-field = Ordinateurs de terrain
field-title = Ordinateurs de terrain et leurs modifications
field-conflicts-title = Modifications qui vous attendent
field-conflicts-intro = Une modification faite sur un ordinateur de terrain pendant que quelqu'un d'autre modifiait la même chose sur le serveur. Rien n'a été écrasé : choisissez la valeur que garde la fiche. Les autres modifications faites sur l'ordinateur ont été appliquées.
field-conflicts-none = Aucune modification ne vous attend.
field-found = Trouvée lors de la synchronisation de l'ordinateur de { $who } le { $when }.
field-value-before = Avant les deux modifications
field-value-laptop = Écrite sur l'ordinateur
field-value-server = Sur le serveur maintenant
field-keep-laptop = Garder la valeur de l'ordinateur
field-keep-server = Garder la valeur du serveur
field-registration-title = Un enfant enregistré hors ligne qui est peut-être déjà enregistré
field-registration-text = Haven a trouvé un enfant déjà enregistré qui est peut-être le même. Rien n'a encore été enregistré : comparez les deux, ouvrez le dossier enregistré en cas de doute, puis décidez.
field-registration-laptop = Enregistré sur l'ordinateur
field-registration-server = Déjà enregistré
field-register-different = Un autre enfant : enregistrer
field-register-same = Le même enfant : ne pas enregistrer
field-registered = L'enfant est enregistré.
field-not-registered = Rien n'a été enregistré : le dossier de l'enfant est celui déjà enregistré.
field-kept-laptop = La valeur de l'ordinateur est maintenant dans la fiche.
field-kept-server = La valeur du serveur reste dans la fiche.
field-no-value = (vide)
field-household = Ménage
field-laptops-title = Ordinateurs de terrain
field-laptops-intro = Ordinateurs inscrits pour travailler sans connexion. Chacun se synchronise au nom de son utilisateur, dans la zone de cet utilisateur ; un ordinateur révoqué ne peut plus se synchroniser.
field-laptops-none = Aucun ordinateur n'est inscrit.
field-laptop = Ordinateur
field-user = Utilisateur
field-last-sync = Dernière synchronisation
field-never = Jamais
field-applied = Modifications appliquées
field-pending = Modifications encore sur l'ordinateur
field-revoke-column = Révoquer
field-revoke = Révoquer
field-revoke-named = Révoquer { $name }
field-revoked-on = révoqué le { $date }
field-revoked-done = L'ordinateur est révoqué : sa prochaine synchronisation sera refusée.

## Les pages propres à un ordinateur de terrain
laptop-title = Synchronisation de cet ordinateur
laptop-intro = Cet ordinateur fonctionne sans connexion. Les enfants enregistrés ici, les modifications des dossiers d'enfants et les évaluations sont gardés ici et envoyés au serveur à la prochaine synchronisation ; les nouveaux ménages et les étapes de dossier se font en ligne, sur le serveur.
laptop-automatic = { $minutes ->
    [one] Il se synchronise aussi de lui-même chaque minute quand le serveur peut être joint.
   *[other] Il se synchronise aussi de lui-même toutes les { $minutes } minutes quand le serveur peut être joint.
}
laptop-server = Serveur
laptop-waiting = Modifications en attente d'envoi
laptop-sync-now = Synchroniser maintenant
laptop-refused-title = Modifications refusées par le serveur
laptop-refused-intro = Le serveur n'a pas pris ces modifications, pour la raison indiquée. Elles restent sur cet ordinateur : refaites la modification sur le dossier si elle vaut toujours, puis abandonnez-la ici.
laptop-refused-none = Aucune modification n'a été refusée.
laptop-refused-change = Modification faite le { $date }
laptop-refused-assessment = Évaluation faite le { $date }
laptop-refused-answers = Réponses données : { $count }
laptop-refused-case-step = Étape de dossier de suivi faite le { $date }
laptop-refused-case-note = Note de dossier de suivi écrite le { $date }
laptop-refused-referral = Orientation faite le { $date }
laptop-refused-fields = Champs modifiés
laptop-refused-reason = La raison du serveur
laptop-discard = Abandonner cette modification
laptop-discarded = La modification refusée a été abandonnée.
laptop-synced = Synchronisation faite : { $applied } modifications appliquées, { $conflicts } gardées pour qu'une personne choisisse, { $refused } refusées ; { $received } dossiers reçus, { $removed } retirés (hors de votre zone) ; { $cases } dossiers de suivi reçus, { $cases_removed } retirés (clos, ou confiés à une autre personne).
laptop-unreachable = Le serveur n'a pas pu être joint. Rien n'est perdu : les modifications restent sur cet ordinateur pour la prochaine synchronisation.
laptop-offline-title = Pas sur cet ordinateur
laptop-offline-text = Cet ordinateur ne garde que les enfants enregistrés sur lui, les modifications des dossiers d'enfants, les évaluations, et les étapes, notes et orientations des dossiers de suivi, qu'il envoie au serveur à la prochaine synchronisation. Enregistrez les nouveaux ménages, ouvrez les dossiers de suivi, enregistrez le consentement, répondez aux orientations et réattribuez les dossiers de suivi en ligne, sur le serveur.
laptop-destroyed = Le serveur a révoqué cet ordinateur, et les données qu'il contenait ont été détruites. Rien ne peut plus y être ouvert. Demandez à votre administrateur avant de l'enrôler à nouveau.
