# La parte de evaluación de la página de un niño o niña: los resultados
# anteriores, el formulario para evaluar y el de confirmar o cambiar el nivel.

assessment-title = Evaluaciones de vulnerabilidad
assessment-chart = { $count ->
    [one] Puntuación de vulnerabilidad en { $count } evaluación
   *[other] Puntuación de vulnerabilidad en { $count } evaluaciones
}
assessment-none = Todavía no hay ninguna evaluación.
assessment-col-date = Fecha
assessment-col-level = Nivel
assessment-col-prevention = Prevención
assessment-col-factors = Factores principales
assessment-col-caseworker = Criterio del trabajador social
assessment-urgent = URGENTE
assessment-driver = { $name } ({ $score } %)
assessment-set-by = fijado en { $level } por { $who }: { $name }
assessment-confirmed = confirmado: { $level }
assessment-not-confirmed = aún sin confirmar
assessment-assess-now = Evaluar ahora (instrumento, versión { $n })
assessment-protects = protege
assessment-safety = seguridad inmediata
assessment-save = Guardar la evaluación
assessment-recommended = Servicios recomendados
assessment-recommendation = { $name } para { $who }:
assessment-no-service = ningún servicio del directorio cubre todavía este distrito
assessment-service = { $name } ({ $who })
assessment-confirm-level = Nivel según su propio criterio
assessment-confirm-reason = Motivo, si cambia el nivel
assessment-confirm = Confirmar el nivel

assessment-done = Evaluado: { $level }. Revise los factores de abajo y confirme o cambie el nivel.
assessment-done-urgent = Evaluado: { $level } y urgente: se ha registrado un peligro inmediato. Actúe ya.
assessment-level-confirmed = El nivel ha quedado registrado.

assessment-error-level = Elija bajo, medio, alto o crítico.
assessment-error-reason = Ha cambiado el nivel: indique por qué, en pocas palabras.
assessment-error-reason-too-long = Escriba 10.000 caracteres como máximo.
