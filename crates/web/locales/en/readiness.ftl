## Readiness assessment, WHO RAP-CM (pages/readiness.rs, api/readiness.rs).

readiness-error-informant = Write the key informant’s code (not their name): letters, digits, spaces, hyphens, points or underscores, up to 40.
readiness-error-missing = Give a score for this item.
readiness-error-name = Give the round a name of 200 characters or fewer.
readiness-error-range-1 = Score this item 0 or 1.
readiness-error-range-2 = Score this item 0, 1 or 2.
readiness-error-unknown = This item is not in the questionnaire.

nav-readiness = Readiness
readiness-title = Readiness assessment (WHO RAP-CM)
readiness-intro = The WHO readiness assessment for the prevention of child maltreatment measures, through key informants, how ready the country is to run prevention at scale, in ten dimensions. Each question is scored 0, 1 or 2; each dimension is shown out of 10 and the total out of 100, as the mean across informants. Hold a round again later to see the change.
readiness-rounds = Rounds
readiness-none = No round has been held yet.
readiness-rounds-caption = Assessment rounds, newest first
readiness-col-round = Round
readiness-col-held = Held on
readiness-col-informants = Key informants
readiness-informants-count = { $count ->
    [0] No informant yet
    [one] 1 informant
   *[other] { $count } informants
}
readiness-new = Start a round
readiness-field-name = Name of the round
readiness-field-held = Held on
readiness-create = Start the round
readiness-back = All rounds
readiness-held-on = Held on { $date }.
readiness-enter = Enter a key informant’s scores
readiness-total = Readiness score:
readiness-out-of-100 = out of 100
readiness-mean-of = { $count ->
    [one] Scores of 1 key informant.
   *[other] Mean of { $count } key informants’ scores.
}
readiness-previous = Compared with the round before, { $name } ({ $date }):
readiness-previous-empty = The round before, { $name }, has no scores to compare with.
readiness-total-change = { $change } points in total.
readiness-by-dimension = By dimension
readiness-radar-described = Radar chart of this round’s score in each of the ten dimensions, out of 10; the table below gives the same figures.
readiness-radar-key = The filled shape is this round, with 10 at the edge.
readiness-radar-key-before = The dashed outline is the round before.
readiness-table-caption = Scores by dimension (mean across key informants)
readiness-col-dimension = Dimension
readiness-col-raw = Raw score
readiness-col-score = Score out of 10
readiness-col-change = Change since the round before
readiness-raw = { $raw } of { $max }
readiness-no-scores = No key informant’s scores have been entered in this round yet.
readiness-informants = Key informants in this round
readiness-change-informant = Change the scores of { $code }
readiness-entry-title = A key informant’s scores
readiness-back-round = Back to { $name }
readiness-entry-intro = Score each question as the informant answered it, numbered as in the WHO questionnaire within each dimension: 0, 1 or 2 (0 or 1 where the questionnaire allows only 1). Saving scores for a code already entered replaces them.
readiness-field-informant = Key informant’s code
readiness-field-informant-hint = (a code, not a name, for example KI-07)
readiness-dimension-max = (highest raw score { $max })
readiness-item = Question { $n }
readiness-save = Save the scores
readiness-from-indicators = Measure how ready the country is to prevent child maltreatment, round after round.
readiness-open = Open the readiness assessment
readiness-dimension-attitudes = Attitudes towards child maltreatment prevention
readiness-dimension-knowledge = Knowledge of child maltreatment prevention
readiness-dimension-scientific-data = Scientific data on child maltreatment prevention
readiness-dimension-current-programmes = Current programmes
readiness-dimension-legislation = Legislation, mandates and policies
readiness-dimension-will = Will to address the problem
readiness-dimension-institutional-links = Institutional links and resources
readiness-dimension-material-resources = Material resources
readiness-dimension-human-technical-resources = Human and technical resources
readiness-dimension-informal-social-resources = Informal social resources
readiness-dimension-attitudes-short = Attitudes
readiness-dimension-knowledge-short = Knowledge
readiness-dimension-scientific-data-short = Data
readiness-dimension-current-programmes-short = Programmes
readiness-dimension-legislation-short = Legislation
readiness-dimension-will-short = Will
readiness-dimension-institutional-links-short = Links
readiness-dimension-material-resources-short = Material
readiness-dimension-human-technical-resources-short = Staff
readiness-dimension-informal-social-resources-short = Informal

readiness-error-instrument = This version could not be added. What needs a change:
readiness-numbers-only = Question numbers only
readiness-versions = Versions of the questionnaire
readiness-versions-intro = New rounds follow version { $n }; rounds already held keep the version they were entered with. A ministry that holds the WHO questionnaire adds a version with its questions’ wording and its own maxima: start from the newest below, change what differs, and add it.
readiness-versions-caption = Versions of the questionnaire, oldest first
readiness-col-version = Version
readiness-col-questions = Questions
readiness-col-highest = Highest raw score
readiness-col-worded = Questions worded in
readiness-field-instrument = A new version (JSON)
readiness-field-instrument-hint = (the ten dimensions; each question’s highest score, 1 or 2; optionally its wording under "text" in "en", "fr" and "es")
readiness-add-version = Add this version
