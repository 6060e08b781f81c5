## Evaluación de la preparación, OMS RAP-CM (pages/readiness.rs, api/readiness.rs).

readiness-error-informant = Escriba el código del informante clave (no su nombre): letras, cifras, espacios, guiones, puntos o guiones bajos, hasta 40.
readiness-error-missing = Dé una puntuación a esta pregunta.
readiness-error-name = Dé a la ronda un nombre de 200 caracteres como máximo.
readiness-error-range-1 = Puntúe esta pregunta con 0 o 1.
readiness-error-range-2 = Puntúe esta pregunta con 0, 1 o 2.
readiness-error-unknown = Esta pregunta no figura en el cuestionario.
