-- Who a notice and a law-enforcement referral went to (the hosting
-- provider, the police unit) and the reference they gave (a ticket or case
-- number), so an item's history says to whom and under which number.
ALTER TABLE hotline_items ADD COLUMN notice_recipient TEXT;
ALTER TABLE hotline_items ADD COLUMN notice_reference TEXT;
ALTER TABLE hotline_items ADD COLUMN law_enforcement_recipient TEXT;
ALTER TABLE hotline_items ADD COLUMN law_enforcement_reference TEXT;
