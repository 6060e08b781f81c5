-- How colleagues reach each person (a phone or an address), shown to an
-- agency receiving a referral from them (NULL until they give one).
ALTER TABLE users ADD COLUMN contact TEXT
