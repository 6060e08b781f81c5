# The closed lists of values every page shares, one message per value, named
# "<list>-<value as the API spells it>". Pages use them through layout::label.

sex-female = Female
sex-male = Male
sex-other = Other
sex-unknown = Not known

birth-registration-registered = Registered
birth-registration-not_registered = Not registered
birth-registration-unknown = Not known

living-family = With family
living-kinship_care = Kinship care (relatives)
living-institution = Care institution
living-street = Living or working on the street
living-unaccompanied_migrant = Unaccompanied migrant
living-child_headed_household = Child-headed household

location-level-country = Country
location-level-region = Region
location-level-district = District

risk-level-low = Low
risk-level-medium = Medium
risk-level-high = High
risk-level-critical = Critical
risk-level-unassessed = Not assessed yet

prevention-layer-primary = Primary prevention (all children)
prevention-layer-secondary = Secondary prevention (children at risk)
prevention-layer-tertiary = Tertiary prevention (victims)

factor-level-child = The child
factor-level-family = Family and caregivers
factor-level-community = Community and social norms
factor-level-institutional = Legal and institutional access
factor-level-socioeconomic = Income and living conditions
factor-level-environmental = Disasters and other shocks
factor-level-online = Online life and demand

case-step-identification = Identification
case-step-assessment = Assessment
case-step-planning = Planning
case-step-implementation = Implementation
case-step-follow_up = Follow-up
case-step-closed = Closed

plan-status-none = No plan yet
plan-status-submitted = Waiting for approval
plan-status-approved = Approved
plan-status-returned = Returned for changes

consent-not_asked = Not asked yet
consent-given = Given
consent-refused = Refused

sector-social_welfare = Social welfare
sector-education = Education
sector-health = Health
sector-justice = Justice
sector-police = Police
sector-civil_registration = Civil registration
sector-social_protection = Social protection

referral-kind-service = Service
referral-kind-adoption = Adoption

referral-status-sent = Waiting for an answer
referral-status-accepted = Accepted
referral-status-declined = Declined
referral-status-completed = Completed

report-category-child_at_risk = Child at risk
report-category-abuse = Abuse
report-category-sexual_exploitation = Sexual exploitation
report-category-sale_or_trafficking = Sale or trafficking
report-category-child_marriage = Child marriage
report-category-illegal_adoption = Illegal adoption
report-category-abuse_material_online = Abuse material online
report-category-grooming_online = Grooming online

reporter-kind-child = The child
reporter-kind-friend = A friend
reporter-kind-parent = A parent or caregiver
reporter-kind-professional = A professional
reporter-kind-other_adult = Another adult
reporter-kind-anonymous = Anonymous

decision-open_case = Open a case
decision-hotline = Send to the hotline
decision-police = Refer to the police
decision-close = Close

report-status-received = Received
report-status-in_review = Being looked at
report-status-action_taken = Action taken
report-status-closed = Closed

hotline-assessment-illegal = Illegal
hotline-assessment-not_illegal = Not illegal
hotline-assessment-needs_second_opinion = Needs a second opinion

age-band-infant = Infant
age-band-prepubescent = Prepubescent
age-band-pubescent = Pubescent
age-band-unknown = Not known

hotline-action-notice_sent = Takedown notice sent
hotline-action-law_enforcement = Referred to law enforcement
hotline-action-forwarded = Forwarded abroad
hotline-action-removed = Removed

url-level-url = This address only
url-level-prefix = Everything under this path
url-level-domain = The whole domain

## Forms of exploitation recorded on a case (casework::ExploitationForm).
exploitation-sale = Sale of the child
exploitation-trafficking = Trafficking
exploitation-sexual_exploitation = Sexual exploitation
exploitation-abuse_material = Child sexual abuse material
exploitation-online_grooming = Online grooming or sextortion
exploitation-child_marriage = Child marriage
exploitation-forced_labour = Forced labour
exploitation-other = Another form
