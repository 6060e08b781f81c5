# Referrals: the receiving agency's answers, and figures per agency.

referrals-title = Referrals
referrals-to-agency = Referrals to { $agency }
referrals-all = All referrals
referrals-sent-title = Sent for children in your area
referrals-by-agency-title = By receiving agency
referrals-none = None.
referrals-none-yet = No referrals yet.
referrals-child = Child
referrals-service-reason = Service and reason
referrals-from = From
referrals-to = To
referrals-status = Status
referrals-due = Answer due
referrals-answer = Answer
referrals-their-answer = Their answer
referrals-overdue-since = overdue since { $when }
referrals-receiving-agency = Receiving agency
referrals-waiting = Waiting
referrals-overdue = Overdue
referrals-accept = Accept
referrals-decline = Decline
referrals-decline-reason = Reason for declining
referrals-complete = Mark completed
referrals-what-was-done = What was done
referrals-error-reason = Say why your agency declines this referral, so that the caseworker can find another service.
referrals-error-note = Keep the note shorter, in plain text.
