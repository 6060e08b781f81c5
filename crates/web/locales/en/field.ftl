# Offline field work (issue 16): conflicts from field laptops and the laptops themselves.
nav-field = Field laptops
field-title = Field laptops and their changes
field-conflicts-title = Changes that wait for you
field-conflicts-intro = A change made on a field laptop while someone else changed the same thing on the server. Nothing was overwritten: choose which value the record keeps. The other changes made on the laptop were applied.
field-conflicts-none = No change waits for you.
field-found = Found when { $who }'s laptop synced on { $when }.
field-value-before = Before either change
field-value-laptop = Written on the laptop
field-value-server = On the server now
field-keep-laptop = Keep the laptop's value
field-keep-server = Keep the server's value
field-registration-title = A child registered offline who may already be registered
field-registration-text = Haven found a child already registered who may be the same. Nothing was registered yet: compare the two, open the registered record if in doubt, then decide.
field-registration-laptop = Registered on the laptop
field-registration-server = Already registered
field-register-different = A different child: register
field-register-same = The same child: do not register
field-registered = The child is registered.
field-not-registered = Nothing was registered: the child's record is the one already registered.
field-kept-laptop = The laptop's value is now in the record.
field-kept-server = The server's value stays in the record.
field-no-value = (empty)
field-household = Household
field-laptops-title = Field laptops
field-laptops-intro = Laptops enrolled for work without a connection. Each one syncs as its user, within that user's area; a revoked laptop cannot sync again.
field-laptops-none = No laptop is enrolled.
field-laptop = Laptop
field-user = User
field-last-sync = Last sync
field-never = Never
field-applied = Changes applied
field-pending = Changes still on the laptop
field-revoke-column = Revoke
field-revoke = Revoke
field-revoke-named = Revoke { $name }
field-revoked-on = revoked on { $date }
field-revoked-done = The laptop is revoked: its next sync will be refused.

## A field laptop's own pages
laptop-title = This laptop's sync
laptop-intro = This laptop works without a connection. Children registered here, changes to children's records and assessments are kept here and sent to the server at the next sync; new households and case steps are done online, on the server.
laptop-automatic = { $minutes ->
    [one] It also syncs by itself every minute while the server can be reached.
   *[other] It also syncs by itself every { $minutes } minutes while the server can be reached.
}
laptop-server = Server
laptop-waiting = Changes waiting to be sent
laptop-sync-now = Sync now
laptop-refused-title = Changes the server refused
laptop-refused-intro = The server did not take these changes, for the reason shown. They stay on this laptop: make the change again on the record if it still applies, then discard it here.
laptop-refused-none = No change was refused.
laptop-refused-change = Change made on { $date }
laptop-refused-assessment = Assessment made on { $date }
laptop-refused-answers = Answers given: { $count }
laptop-refused-case-step = Case step taken on { $date }
laptop-refused-case-note = Case note written on { $date }
laptop-refused-referral = Referral made on { $date }
laptop-refused-fields = Fields changed
laptop-refused-reason = The server's reason
laptop-discard = Discard this change
laptop-discarded = The refused change was discarded.
laptop-synced = Sync done: { $applied } changes applied, { $conflicts } kept for a person to choose, { $refused } refused; { $received } records received, { $removed } removed (no longer in your area); { $cases } cases received, { $cases_removed } removed (closed, or handed to someone else).
laptop-unreachable = The server could not be reached. Nothing was lost: the changes stay on this laptop for the next sync.
laptop-offline-title = Not on this laptop
laptop-offline-text = This laptop keeps only children registered on it, changes to children's records, assessments, and steps, notes and referrals on cases, which it sends to the server at the next sync. Register new households, open cases, record consent, answer referrals and reassign cases online, on the server.
laptop-destroyed = The server revoked this laptop, and the data it held were destroyed. Nothing can be opened on it. Ask your administrator before enrolling it again.
