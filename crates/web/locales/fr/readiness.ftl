## Évaluation de l’état de préparation, OMS RAP-CM (pages/readiness.rs, api/readiness.rs).

readiness-error-informant = Saisissez le code de l’informateur clé (pas son nom) : lettres, chiffres, espaces, tirets, points ou traits de soulignement, 40 au plus.
readiness-error-missing = Donnez une note pour cette question.
readiness-error-name = Donnez à la série un nom de 200 caractères au plus.
readiness-error-range-1 = Notez cette question 0 ou 1.
readiness-error-range-2 = Notez cette question 0, 1 ou 2.
readiness-error-unknown = Cette question ne figure pas dans le questionnaire.

nav-readiness = État de préparation
readiness-title = Évaluation de l’état de préparation (OMS RAP-CM)
readiness-intro = L’évaluation de l’OMS de l’état de préparation à la prévention de la maltraitance des enfants mesure, auprès d’informateurs clés, dans quelle mesure le pays est prêt à mener la prévention à grande échelle, selon dix dimensions. Chaque question est notée 0, 1 ou 2 ; chaque dimension est présentée sur 10 et le total sur 100, en moyenne des informateurs. Menez une nouvelle série plus tard pour voir l’évolution.
readiness-rounds = Séries
readiness-none = Aucune série n’a encore été menée.
readiness-rounds-caption = Séries d’évaluation, de la plus récente à la plus ancienne
readiness-col-round = Série
readiness-col-held = Date
readiness-col-informants = Informateurs clés
readiness-informants-count = { $count ->
    [0] Aucun informateur pour l’instant
    [one] 1 informateur
   *[other] { $count } informateurs
}
readiness-new = Commencer une série
readiness-field-name = Nom de la série
readiness-field-held = Date de la série
readiness-create = Commencer la série
readiness-back = Toutes les séries
readiness-held-on = Menée le { $date }.
readiness-enter = Saisir les notes d’un informateur clé
readiness-total = Note de préparation :
readiness-out-of-100 = sur 100
readiness-mean-of = { $count ->
    [one] Notes d’un informateur clé.
   *[other] Moyenne des notes de { $count } informateurs clés.
}
readiness-previous = Par rapport à la série précédente, { $name } ({ $date }) :
readiness-previous-empty = La série précédente, { $name }, n’a pas de notes à comparer.
readiness-total-change = { $change } points au total.
readiness-by-dimension = Par dimension
readiness-radar-described = Graphique en radar de la note de cette série dans chacune des dix dimensions, sur 10 ; le tableau ci-dessous donne les mêmes chiffres.
readiness-radar-key = La forme pleine représente cette série ; le bord correspond à 10.
readiness-radar-key-before = Le contour en pointillés représente la série précédente.
readiness-table-caption = Notes par dimension (moyenne des informateurs clés)
readiness-col-dimension = Dimension
readiness-col-raw = Note brute
readiness-col-score = Note sur 10
readiness-col-change = Évolution depuis la série précédente
readiness-raw = { $raw } sur { $max }
readiness-no-scores = Aucune note d’informateur clé n’a encore été saisie pour cette série.
readiness-informants = Informateurs clés de cette série
readiness-change-informant = Modifier les notes de { $code }
readiness-entry-title = Notes d’un informateur clé
readiness-back-round = Retour à { $name }
readiness-entry-intro = Notez chaque question selon la réponse de l’informateur, dans l’ordre du questionnaire de l’OMS pour chaque dimension : 0, 1 ou 2 (0 ou 1 lorsque le questionnaire ne prévoit que 1). Enregistrer des notes pour un code déjà saisi les remplace.
readiness-field-informant = Code de l’informateur clé
readiness-field-informant-hint = (un code, pas un nom, par exemple KI-07)
readiness-dimension-max = (note brute maximale { $max })
readiness-item = Question { $n }
readiness-save = Enregistrer les notes
readiness-from-indicators = Mesurez, série après série, dans quelle mesure le pays est prêt à prévenir la maltraitance des enfants.
readiness-open = Ouvrir l’évaluation de l’état de préparation
readiness-dimension-attitudes = Attitudes envers la prévention de la maltraitance des enfants
readiness-dimension-knowledge = Connaissances sur la prévention de la maltraitance des enfants
readiness-dimension-scientific-data = Données scientifiques sur la prévention de la maltraitance des enfants
readiness-dimension-current-programmes = Programmes existants
readiness-dimension-legislation = Législation, mandats et politiques
readiness-dimension-will = Volonté d’agir
readiness-dimension-institutional-links = Liens et ressources institutionnels
readiness-dimension-material-resources = Ressources matérielles
readiness-dimension-human-technical-resources = Ressources humaines et techniques
readiness-dimension-informal-social-resources = Ressources sociales informelles
readiness-dimension-attitudes-short = Attitudes
readiness-dimension-knowledge-short = Connaissances
readiness-dimension-scientific-data-short = Données
readiness-dimension-current-programmes-short = Programmes
readiness-dimension-legislation-short = Législation
readiness-dimension-will-short = Volonté
readiness-dimension-institutional-links-short = Liens
readiness-dimension-material-resources-short = Matériel
readiness-dimension-human-technical-resources-short = Personnel
readiness-dimension-informal-social-resources-short = Informel

readiness-error-instrument = Cette version n’a pas pu être ajoutée. Ce qu’il faut changer :
readiness-numbers-only = Numéros des questions seulement
readiness-versions = Versions du questionnaire
readiness-versions-intro = Les nouvelles séries suivent la version { $n } ; les séries déjà tenues gardent la version avec laquelle elles ont été saisies. Un ministère qui détient le questionnaire de l’OMS ajoute une version avec le libellé des questions et ses propres maxima : partez de la plus récente ci-dessous, changez ce qui diffère et ajoutez-la.
readiness-versions-caption = Versions du questionnaire, de la plus ancienne à la plus récente
readiness-col-version = Version
readiness-col-questions = Questions
readiness-col-highest = Score brut le plus élevé
readiness-col-worded = Questions libellées en
readiness-field-instrument = Une nouvelle version (JSON)
readiness-field-instrument-hint = (les dix dimensions ; le score le plus élevé de chaque question, 1 ou 2 ; si vous le souhaitez, son libellé sous "text" en "en", "fr" et "es")
readiness-add-version = Ajouter cette version
