# The assessment part of a child's page: past results, the form to assess,
# and the form to confirm or change the level.

assessment-title = Vulnerability assessments
assessment-chart = { $count ->
    [one] Vulnerability score over { $count } assessment
   *[other] Vulnerability score over { $count } assessments
}
assessment-none = No assessment yet.
assessment-col-date = Date
assessment-col-level = Level
assessment-col-prevention = Prevention
assessment-col-factors = Main factors
assessment-col-caseworker = Caseworker's judgement
assessment-urgent = URGENT
assessment-driver = { $name } ({ $score }%)
assessment-set-by = set to { $level } by { $who }: { $name }
assessment-confirmed = confirmed { $level }
assessment-not-confirmed = not yet confirmed
assessment-assess-now = Assess now (instrument version { $n })
assessment-protects = protects
assessment-safety = immediate safety
assessment-save = Save assessment
assessment-recommended = Recommended services
assessment-recommendation = { $name } for { $who }:
assessment-no-service = no service in the directory covers this district yet
assessment-service = { $name } ({ $who })
assessment-confirm-level = Level after your own judgement
assessment-confirm-reason = Reason, if you change the level
assessment-confirm = Confirm the level

assessment-done = Assessed: { $level }. Check the factors below and confirm or change the level.
assessment-done-urgent = Assessed { $level } and urgent: an immediate safety concern was recorded. Act now.
assessment-level-confirmed = The level is recorded.

assessment-error-level = Choose low, medium, high or critical.
assessment-error-reason = You changed the level: say why, in a few words.
assessment-error-reason-too-long = Write at most 10,000 characters.
