# La página del administrador para el instrumento de evaluación.

instrument-title = Instrumento de evaluación, versión { $n }
instrument-text = Cambie pesos, descripciones, umbrales o factores y guarde: así se crea la versión { $count }. Las evaluaciones ya hechas conservan la versión que usaron.
instrument-json = Instrumento (JSON)
instrument-save = Guardar como nueva versión
instrument-saved = Guardado como nueva versión.
instrument-error = El instrumento no se puede usar. Lo que hay que corregir:
