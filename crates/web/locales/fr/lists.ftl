# Listes d’empreintes, leurs entrées et imports, le testeur de correspondance et la liste d’adresses.

lists-title = Listes d’empreintes
lists-intro = Listes d’empreintes de contenus confirmés. Les images sont hachées à l’envoi et jamais conservées.
lists-none = Aucune liste pour l’instant.
lists-list = Liste
lists-description = Description
lists-enabled-entries = Entrées actives
lists-enabled-of = { $count } sur { $total }
lists-created = Créée le
lists-new-title = Nouvelle liste
lists-name = Nom
lists-create = Créer la liste
lists-entries-enabled = { $count } entrées actives sur { $total }.
lists-added = { $count ->
    [one] { $count } ajoutée à la liste.
   *[other] { $count } ajoutées à la liste.
}
lists-no-entries = Aucune entrée pour l’instant.
lists-hash = Empreinte
lists-category = Catégorie
lists-source = Source
lists-added-column = Ajoutée
lists-added-by = { $who } ({ $when })
lists-state = État
lists-change = Modifier
lists-entry-enabled = active
lists-entry-disabled = désactivée
lists-enable = Activer
lists-disable = Désactiver
lists-next = Entrées suivantes
lists-add-hash-title = Ajouter une empreinte
lists-hash-label = Empreinte PDQ (64 chiffres hexadécimaux), MD5 (32) ou sha256: suivi de 64
lists-add = Ajouter
lists-add-image-title = Ajouter une image
lists-image-never-kept = L’image est hachée puis supprimée ; elle n’est jamais conservée.
lists-image-file = Fichier image
lists-hash-and-add = Hacher et ajouter
lists-import-title = Importer un fichier d’empreintes
lists-import-source = Provenance du fichier
lists-import-hashes = Une empreinte par ligne (ou le CSV produit par la commande haven hash)
lists-import = Importer
lists-imports-title = Imports
lists-no-imports = Aucun import pour l’instant.
lists-import-line = { $name } : { $count ->
    [one] { $count } entrée
   *[other] { $count } entrées
} par { $who } le { $when }
lists-match-intro = Comparez une empreinte ou une image à toutes les entrées actives (distance jusqu’à { $n }). Les images sont hachées puis supprimées.
lists-match-hash = Empreinte PDQ (64 chiffres hexadécimaux)
lists-match-image = ou un fichier image
lists-match = Comparer
lists-match-results = Résultats
lists-match-query = Empreinte PDQ recherchée :
lists-no-match = Aucune correspondance.
lists-entry = Entrée
lists-distance = Distance
lists-urls-version = Version { $n }.
lists-urls-intro = Les fournisseurs d’accès téléchargent la liste entière, ou seulement les changements depuis leur version :
lists-urls-none = Aucune adresse sur la liste.
lists-urls-address = Adresse
lists-urls-covers = Portée
lists-urls-version-column = Version
lists-urls-remove = Retirer (contenu supprimé)
lists-urls-add-title = Ajouter une adresse
lists-urls-add = Ajouter à la liste
lists-error-name = Donnez un nom à la liste.
lists-error-name-taken = Une liste porte déjà ce nom. Choisissez-en un autre.
lists-error-long = Ne dépassez pas 100 caractères.
lists-error-description = La description ne doit pas dépasser 1 000 caractères.
lists-error-hash-missing = Indiquez l’empreinte à ajouter.
lists-error-hash = Cette empreinte n’est pas utilisable : indiquez une empreinte PDQ (64 chiffres hexadécimaux), un MD5 (32) ou sha256: suivi de 64. L’empreinte PDQ d’une image trop peu détaillée ne peut pas être listée.
lists-error-import-source = Indiquez la provenance du fichier.
lists-error-hashes-missing = Collez au moins une empreinte, une par ligne.
lists-error-hashes = Certaines lignes ne sont pas des empreintes lisibles. Chaque ligne doit contenir une empreinte PDQ (64 chiffres hexadécimaux), un MD5 (32) ou sha256: suivi de 64.
lists-error-hashes-many = Il y a trop d’empreintes pour un seul import. Divisez le fichier et importez-le en plusieurs fois.
lists-error-image = Choisissez un fichier image.
lists-error-image-large = Cette image est trop grande. Choisissez un fichier plus petit.
lists-error-image-unusable = Ce fichier ne peut pas être utilisé : ce n’est pas une image que Haven sait lire, ou elle a trop peu de détails pour être comparée.
lists-error-pdq = Une empreinte PDQ compte 64 chiffres hexadécimaux (0 à 9 et a à f).
lists-error-match-missing = Indiquez une empreinte ou choisissez une image.
lists-error-match-detail = Trop peu de détails pour une comparaison fiable. Essayez une autre image ou empreinte.
lists-error-level = Choisissez la portée de l’entrée.
lists-error-url-missing = Indiquez l’adresse web à ajouter.
lists-error-url = Indiquez une adresse web complète, commençant par http:// ou https://, ou un nom de domaine.
lists-error-url-listed = Cette adresse figure déjà sur la liste à ce niveau.
lists-import-check-title = Vérifier l’import
lists-import-summary = { $count ->
    [one] 1 ligne peut être importée
   *[other] { $count } lignes peuvent être importées
} ; { $n ->
    [0] toutes les lignes sont lisibles.
    [one] 1 ligne ne le peut pas.
   *[other] { $n } lignes ne le peuvent pas.
}
lists-import-failed-title = Lignes qui ne peuvent pas être importées
lists-import-line-number = Ligne
lists-import-line-text = Telle qu’écrite
lists-import-reason = Motif
lists-import-reason-not-a-hash = Ce n’est pas une empreinte que Haven sait lire : une empreinte PDQ compte 64 chiffres hexadécimaux, un MD5 32, et un SHA-256 s’écrit sha256: suivi de 64.
lists-import-reason-detail = L’image derrière cette empreinte a trop peu de détails pour être comparée (une image vide ou unie correspondrait à toutes les autres).
lists-import-reason-quality = La qualité après la virgule doit être un nombre de 0 à 100.
lists-import-confirm = { $count ->
    [one] Importer la ligne lisible
   *[other] Importer les { $count } lignes lisibles
}
lists-import-nothing = Aucune ligne de ce fichier ne peut être importée. Rien n’a été ajouté.
lists-import-cancel = Revenir à la liste sans importer
lists-match-flips = Les copies pivotées ou retournées d’une image sont aussi trouvées.
lists-not-given = non indiqué
