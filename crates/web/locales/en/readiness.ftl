## Readiness assessment, WHO RAP-CM (pages/readiness.rs, api/readiness.rs).

readiness-error-informant = Write the key informant’s code (not their name): letters, digits, spaces, hyphens, points or underscores, up to 40.
readiness-error-missing = Give a score for this item.
readiness-error-name = Give the round a name of 200 characters or fewer.
readiness-error-range-1 = Score this item 0 or 1.
readiness-error-range-2 = Score this item 0, 1 or 2.
readiness-error-unknown = This item is not in the questionnaire.
