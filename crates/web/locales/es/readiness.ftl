## Evaluación de la preparación, OMS RAP-CM (pages/readiness.rs, api/readiness.rs).

readiness-error-informant = Escriba el código del informante clave (no su nombre): letras, cifras, espacios, guiones, puntos o guiones bajos, hasta 40.
readiness-error-missing = Dé una puntuación a esta pregunta.
readiness-error-name = Dé a la ronda un nombre de 200 caracteres como máximo.
readiness-error-range-1 = Puntúe esta pregunta con 0 o 1.
readiness-error-range-2 = Puntúe esta pregunta con 0, 1 o 2.
readiness-error-unknown = Esta pregunta no figura en el cuestionario.

nav-readiness = Preparación
readiness-title = Evaluación de la preparación (OMS RAP-CM)
readiness-intro = La evaluación de la OMS de la preparación para la prevención del maltrato infantil mide, mediante informantes clave, en qué medida el país está preparado para llevar la prevención a gran escala, en diez dimensiones. Cada pregunta se puntúa con 0, 1 o 2; cada dimensión se muestra sobre 10 y el total sobre 100, como media de los informantes. Realice otra ronda más adelante para ver el cambio.
readiness-rounds = Rondas
readiness-none = Todavía no se ha realizado ninguna ronda.
readiness-rounds-caption = Rondas de evaluación, de la más reciente a la más antigua
readiness-col-round = Ronda
readiness-col-held = Fecha
readiness-col-informants = Informantes clave
readiness-informants-count = { $count ->
    [0] Ningún informante todavía
    [one] 1 informante
   *[other] { $count } informantes
}
readiness-new = Iniciar una ronda
readiness-field-name = Nombre de la ronda
readiness-field-held = Fecha de la ronda
readiness-create = Iniciar la ronda
readiness-back = Todas las rondas
readiness-held-on = Realizada el { $date }.
readiness-enter = Introducir las puntuaciones de un informante clave
readiness-total = Puntuación de preparación:
readiness-out-of-100 = sobre 100
readiness-mean-of = { $count ->
    [one] Puntuaciones de un informante clave.
   *[other] Media de las puntuaciones de { $count } informantes clave.
}
readiness-previous = En comparación con la ronda anterior, { $name } ({ $date }):
readiness-previous-empty = La ronda anterior, { $name }, no tiene puntuaciones con las que comparar.
readiness-total-change = { $change } puntos en total.
readiness-by-dimension = Por dimensión
readiness-radar-described = Gráfico radial de la puntuación de esta ronda en cada una de las diez dimensiones, sobre 10; la tabla siguiente da las mismas cifras.
readiness-radar-key = La forma rellena es esta ronda; el borde corresponde a 10.
readiness-radar-key-before = El contorno discontinuo es la ronda anterior.
readiness-table-caption = Puntuaciones por dimensión (media de los informantes clave)
readiness-col-dimension = Dimensión
readiness-col-raw = Puntuación bruta
readiness-col-score = Puntuación sobre 10
readiness-col-change = Cambio desde la ronda anterior
readiness-raw = { $raw } de { $max }
readiness-no-scores = Todavía no se han introducido puntuaciones de informantes clave en esta ronda.
readiness-informants = Informantes clave de esta ronda
readiness-change-informant = Modificar las puntuaciones de { $code }
readiness-entry-title = Puntuaciones de un informante clave
readiness-back-round = Volver a { $name }
readiness-entry-intro = Puntúe cada pregunta según la respuesta del informante, con la numeración del cuestionario de la OMS en cada dimensión: 0, 1 o 2 (0 o 1 cuando el cuestionario solo admite 1). Guardar puntuaciones para un código ya introducido las sustituye.
readiness-field-informant = Código del informante clave
readiness-field-informant-hint = (un código, no un nombre, por ejemplo KI-07)
readiness-dimension-max = (puntuación bruta máxima { $max })
readiness-item = Pregunta { $n }
readiness-save = Guardar las puntuaciones
readiness-from-indicators = Mida, ronda tras ronda, en qué medida el país está preparado para prevenir el maltrato infantil.
readiness-open = Abrir la evaluación de la preparación
readiness-dimension-attitudes = Actitudes hacia la prevención del maltrato infantil
readiness-dimension-knowledge = Conocimientos sobre la prevención del maltrato infantil
readiness-dimension-scientific-data = Datos científicos sobre la prevención del maltrato infantil
readiness-dimension-current-programmes = Programas existentes
readiness-dimension-legislation = Legislación, mandatos y políticas
readiness-dimension-will = Voluntad de actuar
readiness-dimension-institutional-links = Vínculos y recursos institucionales
readiness-dimension-material-resources = Recursos materiales
readiness-dimension-human-technical-resources = Recursos humanos y técnicos
readiness-dimension-informal-social-resources = Recursos sociales informales
readiness-dimension-attitudes-short = Actitudes
readiness-dimension-knowledge-short = Conocimientos
readiness-dimension-scientific-data-short = Datos
readiness-dimension-current-programmes-short = Programas
readiness-dimension-legislation-short = Legislación
readiness-dimension-will-short = Voluntad
readiness-dimension-institutional-links-short = Vínculos
readiness-dimension-material-resources-short = Material
readiness-dimension-human-technical-resources-short = Personal
readiness-dimension-informal-social-resources-short = Informales

readiness-error-instrument = No se pudo añadir esta versión. Lo que hay que cambiar:
readiness-numbers-only = Solo los números de las preguntas
readiness-versions = Versiones del cuestionario
readiness-versions-intro = Las nuevas rondas siguen la versión { $n }; las rondas ya celebradas conservan la versión con la que se registraron. Un ministerio que dispone del cuestionario de la OMS añade una versión con la redacción de las preguntas y sus propios máximos: parta de la más reciente de abajo, cambie lo que difiera y añádala.
readiness-versions-caption = Versiones del cuestionario, de la más antigua a la más reciente
readiness-col-version = Versión
readiness-col-questions = Preguntas
readiness-col-highest = Puntuación bruta máxima
readiness-col-worded = Preguntas redactadas en
readiness-field-instrument = Una nueva versión (JSON)
readiness-field-instrument-hint = (las diez dimensiones; la puntuación máxima de cada pregunta, 1 o 2; si lo desea, su redacción en "text" en "en", "fr" y "es")
readiness-add-version = Añadir esta versión
