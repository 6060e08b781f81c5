# What the work lists share (Today, cases, referrals).

late-by-days = { $n ->
    [one] 1 day late
   *[other] { $n } days late
}
late-by-hours = { $n ->
    [one] 1 hour late
   *[other] { $n } hours late
}
late-by-minutes = less than an hour late

date-time = { $date }, { $time }

cases-any = Any
cases-any-place = Anywhere in my area
cases-col-district = District
cases-search-label = Choose which cases to show
cases-sort = Order
cases-sort-due = Soonest due first
cases-sort-risk = Highest risk first
cases-sort-updated = Last changed first
cases-show = Show
cases-pages = Pages of the list
cases-previous-page = Previous page
cases-next-page = Next page
cases-caseload = Caseload by caseworker
cases-caseload-open = Open cases
cases-caseload-overdue = Late
cases-caseload-high = High or critical risk
cases-caseload-awaiting = Waiting for approval

task-heading = What needs you now
task-none = Nothing is waiting for you. Well done.
task-due-by = due by { $when }
task-report-danger = A child in danger now: { $category }
task-report-late = Report to triage, late: { $category }
task-report-no-place = place not given
task-case = { $risk } · { $step }
task-plan-approval = Plan waiting for your approval: { $child }
task-closure-approval = Closure waiting for your approval: { $child }
task-referral = Referral waiting for your agency: { $service }
today-in-area = In your area

referral-title = Referral to { $service }
referral-child = The child
referral-open-case = open the case
referral-age = Age
referral-sex = Sex
referral-district = District
referral-asked = What is asked
referral-service = Service
referral-reason = Why the child is referred
referral-respond-by = Answer by
referral-who = Who referred
referral-referrer = Caseworker
referral-reach = How to reach them
referral-no-contact = not given: ask through their agency
referral-sent = Sent on
referral-family = Family contact
referral-no-caregivers = No caregiver is recorded.
referral-no-consent = Consent to share the family's contacts has not been given: reach the family through the caseworker.
referral-confirm-accept = I confirm that my agency takes on this referral.
referral-confirm-decline = I confirm that my agency declines this referral.
referral-confirm-complete = I confirm that the service has been provided.
referral-error-confirm = Tick the box to confirm your answer.
referral-back = All referrals
referral-open = Open

account-contact = How colleagues can reach you
account-contact-hint = A work phone or address. Agencies you refer children to see it, to ask you about a referral.
account-error-contact = Give one line of at most 200 characters.

case-next-closed = The case is closed. If the child needs help again, it can be reopened.
case-next-plan-waiting = Waiting for a supervisor to approve the plan.
case-next-closure-waiting = Waiting for a supervisor to approve the closure.
case-next-identification = Next: { $who } assesses the child.
case-next-planning = Next: { $who } writes the case plan and sends it for approval.
case-next-follow-up = Next: { $who } carries out the plan and records a follow-up by { $when }.
case-next-follow-up-undated = Next: { $who } carries out the plan and records a follow-up.
case-drivers-title = What raised the risk at the latest assessment
case-refer-recommended = Recommended for this child
case-refer-others = Other services in the district
case-refer-no-consent = Consent to share this child's details is not recorded. Record it first if you can; refer without it only when the child's safety requires it.
case-refer-no-consent-why = Why refer without consent
case-error-without-consent = Say why the referral cannot wait for consent.
case-move-no-consent = Consent to share this child's details is not recorded: a transfer to another agency shares them. Say why in the reason.
case-note-referral-without-consent = Referred without recorded consent: { $why }
case-note-transfer-without-consent = Transferred without recorded consent: { $why }

referrals-search-label = Choose which referrals to show
referrals-only-late = Only those waiting past their deadline

institutions-title = Care institutions and schools
institutions-intro = Every care institution and school in your area, and when each was last inspected. Children in care are safer where institutions are registered, monitored and inspected regularly.
institutions-none = No institution is recorded in your area yet.
institutions-add = Add an institution
institutions-add-button = Add the institution
institution-kind = Kind
institution-kind-care_institution = Care institution
institution-kind-school = School
institution-name = Name
institution-district = District
institution-registered = Registered with the authority
institution-monitored = Under regular monitoring
institution-status = Registration and monitoring
institution-is-registered = registered
institution-not-registered = not registered
institution-is-monitored = monitored
institution-not-monitored = not monitored
institution-last = Last inspection
institution-never = never inspected
institution-no-date = no date set
institution-overdue = overdue for inspection
institution-overdue-long = This institution is overdue for inspection.
institution-next = Next inspection due
institution-children = Children linked to it
institution-change = Change the institution
institution-error-kind = Choose whether it is a care institution or a school.
institution-error-name = Give the institution's name.
institution-error-location = Choose a district in your area.
inspections-title = Inspections
inspections-none = No inspection is recorded yet.
inspection-head = { $day } · { $who }
inspection-next = Next inspection due { $day }
inspection-recorded-by = recorded by { $who }
inspection-record = Record an inspection
inspection-day = Day of the inspection
inspection-inspector = Who inspected (a name or a team)
inspection-findings = What was found, and what must be followed up
inspection-next-due = Next inspection due (optional)
inspection-save = Record the inspection
inspection-error-day = Give the day of the inspection; it cannot be in the future.
inspection-error-next = Give a day after the inspection, or leave it empty.
inspection-error-inspector = Say who inspected.
inspection-error-findings = Write what was found (at most 5,000 characters).
admin-institutions = Care institutions and schools

triage-search-label = Choose which reports to show
triage-only-danger = Only a child in danger now
triage-only-late = Only those past their act-by time
child-institution = Care institution or school
child-institution-none = None
child-institution-not-recorded = No care institution or school is recorded for this child.
child-institution-choose = The care institution or school where the child lives or studies
