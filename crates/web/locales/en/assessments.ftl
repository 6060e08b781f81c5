# The assessment part of a child's page: past results, the form to assess,
# and the form to confirm or change the level.

assessment-title = Vulnerability assessments
assessment-chart = { $count ->
    [one] Level over time, { $count } assessment: each date and level is in the table below
   *[other] Levels over time, { $count } assessments: each date and level is in the table below
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

# The assessment form (its own page) and the latest result.
assessment-new-title = Assess { $name }
assessment-new-intro = Answer each factor yes, no or not known. Not known is not no: the result names the factors not known, and the level stays provisional until someone finds out.
assessment-from-record = From the child's record ({ $name }); change it if it is no longer true.
assessment-prefilled = { $count ->
    [one] One answer is already filled in from the child's record.
   *[other] { $count } answers are already filled in from the child's record.
}
assessment-notes = Notes
assessment-notes-hint = What you saw and heard, and who told you. Notes are kept sealed, like case notes.
assessment-error-answer = Choose yes, no or not known.
assessment-error-notes = Write at most 10,000 characters.
assessment-back = Back to the child's page
assessment-latest = Latest result
assessment-latest-level = Computed level: { $level }
assessment-at-least = at least { $level }
assessment-provisional = Provisional: once the factors not known are known, the level could be anything from { $low } to { $high }.
assessment-could-rise = If the factors not known are present, the level could rise to { $high }.
assessment-unknown = { $count ->
    [one] One factor not known: { $names }.
   *[other] { $count } factors not known: { $names }.
}
assessment-critical-alert = Critical level. This child needs protection now: make sure the child is safe today, tell your supervisor, and call the police if the child is in danger.
assessment-notes-shown = Notes: { $name }
assessment-chart-title = Levels over time
assessment-chart-date = Date
assessment-chart-level = Level
assessment-level-at-least = { $level } (at least)
assessment-level-provisional = { $level } (provisional)

# Factors of the shipped instrument, in plain words.
assessment-factor-young_age = Young: under 12 years old
assessment-factor-girl_or_gender_risk = At risk because of gender, for example a girl pressed to marry early
assessment-factor-disability = Has a disability
assessment-factor-minority_or_indigenous = From a minority or indigenous group that faces discrimination
assessment-factor-no_birth_registration = Birth not registered
assessment-factor-street_child = Lives or works on the street
assessment-factor-child_labour = In child labour or domestic work
assessment-factor-unaccompanied_migrant = A migrant child without parents or caregivers
assessment-factor-in_institution = Lives in a care institution
assessment-factor-risky_behaviours = Risky behaviour, such as drug or alcohol use or running away
assessment-factor-caregivers_absent = Parents or caregivers are absent
assessment-factor-caregiver_illness_or_death = A caregiver is seriously ill or has died
assessment-factor-family_migration = Parents have gone away for work
assessment-factor-domestic_violence = Violence in the home
assessment-factor-caregiver_substance_abuse = A caregiver misuses alcohol or drugs
assessment-factor-caregiver_disability = A caregiver has a disability and little support
assessment-factor-accepts_child_marriage = The community accepts child marriage
assessment-factor-transactional_sex_norm = The community tolerates sex in exchange for money or gifts
assessment-factor-violence_accepted = Violence against children is accepted in the community
assessment-factor-gangs = Gangs or criminal groups recruit in the area
assessment-factor-unsafe_public_spaces = The way to school or work is unsafe
assessment-factor-no_complaint_mechanism = No way to complain or report that the child can reach
assessment-factor-not_in_school = Not enrolled in school, or not going
assessment-factor-institution_unmonitored = The institution is not registered or not inspected
assessment-factor-poverty = The household is poor (counts fully only with another risk or a shock)
assessment-factor-basic_needs_unmet = Basic needs not met: food, shelter or health care
assessment-factor-income_pressure_on_child = The child is expected to earn money for the family
assessment-factor-environmental_shock = Drought, disaster, conflict or displacement
assessment-factor-self_generated_images = Has shared sexual images of themself
assessment-factor-online_grooming_contact = An adult online has sought sexual contact
assessment-factor-tourism_area = Lives or works where travelling sex offenders come
assessment-factor-recruitment_offer = Has had job, travel or modelling offers from strangers
assessment-factor-immediate_danger = In danger now: abuse happening, exploitation going on, or about to be moved
assessment-factor-already_victim = Already a victim of sale, trafficking or sexual exploitation
assessment-factor-attends_school = Goes to school regularly
assessment-factor-supportive_caregiver = A caring adult at home who supports the child
assessment-factor-community_support = Support from the community or a religious group
assessment-factor-protective_norms = Community customs that protect children
assessment-factor-knows_how_to_report = Knows how and where to report abuse
