## Évaluation de l’état de préparation, OMS RAP-CM (pages/readiness.rs, api/readiness.rs).

readiness-error-informant = Saisissez le code de l’informateur clé (pas son nom) : lettres, chiffres, espaces, tirets, points ou traits de soulignement, 40 au plus.
readiness-error-missing = Donnez une note pour cette question.
readiness-error-name = Donnez à la série un nom de 200 caractères au plus.
readiness-error-range-1 = Notez cette question 0 ou 1.
readiness-error-range-2 = Notez cette question 0, 1 ou 2.
readiness-error-unknown = Cette question ne figure pas dans le questionnaire.
