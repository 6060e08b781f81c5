# Case pages: the case list, one case with the forms for its next steps,
# and the case part of a child's page.

cases-open = Open cases
cases-mine = My cases
cases-overdue = Overdue cases
cases-awaiting = Waiting for a supervisor
cases-with-closed = All cases, including closed
cases-filter-label = Which cases
cases-filter-mine = Mine
cases-filter-overdue = Overdue
cases-filter-awaiting = Waiting for approval
cases-filter-open = All open
cases-filter-closed = Including closed
cases-none = No cases here.
cases-moved = The case has been moved.
cases-col-child = Child
cases-col-step = Step
cases-col-risk = Risk
cases-col-caseworker = Caseworker
cases-col-due = Next action due
cases-plan-waiting = plan waits for approval
cases-closure-waiting = closure waits for approval
case-not-assessed = not assessed
case-urgent = URGENT
case-due-overdue = overdue since { $when }
case-due-soon = within a day ({ $when })
case-due-none = —

case-title = Case of { $name }
case-heading = Case:
case-steps = Steps of the case
case-suggested = Suggested referral: { $name }
case-suggested-civil-registration = the child's birth is not registered.
case-step = Step
case-risk = Risk
case-caseworker = Caseworker
case-agency = Agency
case-due = Next action due
case-consent = Consent
case-views = The child's views
case-views-none = not recorded
case-adoptability = Adoptability
case-adoptability-none = no determination recorded
case-plan = Case plan
case-plan-none = not written yet
case-next-title = Next steps
case-next-assess = Next: assess the child.
case-next-assess-link = Assess the child
case-next-assess-after = The case moves on when the assessment is saved.
case-closure-waiting = Closure is waiting for a supervisor.

case-action-submit_plan = Send the plan for approval
case-action-approve_plan = Approve the plan
case-action-return_plan = Return the plan
case-action-follow_up = Record follow-up
case-action-request_closure = Ask to close the case
case-action-approve_closure = Approve closure
case-action-reject_closure = Keep the case open
case-action-reopen = Reopen the case
case-text-submit_plan = Case plan: goals, services, who does what by when
case-text-return_plan = What needs to change?
case-text-follow_up = What did the visit or review find?
case-text-request_closure = Why can the case close?
case-text-reject_closure = Why keep it open?
case-text-reopen = Why reopen?

case-done-opened = Case opened.
case-done-submit_plan = Saved: the plan is sent for approval.
case-done-approve_plan = Saved: the plan is approved.
case-done-return_plan = Saved: the plan is returned for changes.
case-done-follow_up = Saved: the follow-up is recorded.
case-done-request_closure = Saved: closure is asked for; a supervisor decides.
case-done-approve_closure = Saved: closure approved.
case-done-reject_closure = Saved: the case stays open.
case-done-reopen = Saved: the case is open again.
case-done-note = Note added.
case-done-consent = Consent recorded.
case-done-adoptability = Determination recorded.
case-done-referral = Referral sent.

case-referrals-title = Referrals
case-referrals-none = No referrals yet.
case-col-service = Service
case-col-agency = Agency
case-col-status = Status
case-col-answer = Answer
case-col-deadline = Deadline
case-referral-adoption = adoption
case-referral-late = no answer since { $when }
case-referral-due = answer due { $when }
case-refer-title = Refer to a service
case-refer-service = Service
case-refer-option = { $name } — { $who } ({ $service })
case-refer-suggested = { $name } (suggested)
case-refer-kind = Kind
case-refer-reason = What the child needs from it
case-refer-send = Send referral

case-notes-title = Notes, consent and the child's views
case-note = Case note (kept encrypted)
case-note-add = Add note
case-consent-views = The child's own views, in their words
case-consent-record = Record
case-move-title = Reassign or transfer
case-move-to = Caseworker's user name
case-move-agency = New agency code (only to transfer)
case-move-reason = Why
case-move = Move the case
case-adopt-title = Record an adoptability determination
case-adopt-text = Who decided, when, on what grounds (tracing of family, the child's views and consent)
case-adopt-record = Record determination
case-history-title = History
case-event = { $when } · { $who } · { $name }

case-event-opened = case opened
case-event-note = note
case-event-consent = consent
case-event-adoptability = adoptability
case-event-referral = referral
case-event-assigned = reassigned
case-event-transferred = transferred
case-event-record_assessment = assessment
case-event-submit_plan = plan sent for approval
case-event-approve_plan = plan approved
case-event-return_plan = plan returned
case-event-follow_up = follow-up
case-event-request_closure = closure asked for
case-event-approve_closure = closure approved
case-event-reject_closure = closure refused
case-event-reopen = reopened
case-event-report = report

case-section-title = Case
case-section-open = Open case
case-section-summary = { $name } · risk { $level } · next action due { $when }
case-section-none = No open case.
case-section-closed = { $count ->
    [one] { $count } closed case in the history.
   *[other] { $count } closed cases in the history.
}
case-section-assign = Caseworker who will hold the case (user name)
case-section-open-button = Open a case

case-error-text = Write a few words: this step needs them.
case-error-too-long = Write at most 10,000 characters.
case-error-note = Write the note.
case-error-consent = Choose not asked, given or refused.
case-error-determination = Write who decided, when and on what grounds.
case-error-assigned-to = Give the user name of a caseworker or supervisor who works in this child's area.
case-error-agency = Give an agency code: 1 to 32 letters, digits, "-" or "_".
case-error-move-reason = Say why the case moves.
case-error-service = Choose a service that covers the child's district.
case-error-kind = An adoption referral needs an adoptability determination recorded first.
case-error-reason = Say what the child needs from this service.

## The form of exploitation a case is about.
case-exploitation = Form of exploitation
case-exploitation-hint = (if the child is a victim; used only in anonymous figures)
case-exploitation-none = None recorded
case-exploitation-record = Record the form
case-done-exploitation = Form of exploitation recorded.
case-event-exploitation = form of exploitation
case-error-exploitation = Choose a form of exploitation from the list, or none.
