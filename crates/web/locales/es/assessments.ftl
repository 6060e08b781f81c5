# La parte de evaluación de la página de un niño o niña: los resultados
# anteriores, el formulario para evaluar y el de confirmar o cambiar el nivel.

assessment-title = Evaluaciones de vulnerabilidad
assessment-chart = { $count ->
    [one] Nivel a lo largo del tiempo, { $count } evaluación: cada fecha y cada nivel figuran en la tabla de abajo
   *[other] Niveles a lo largo del tiempo, { $count } evaluaciones: cada fecha y cada nivel figuran en la tabla de abajo
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

# El formulario de evaluación (su propia página) y el último resultado.
assessment-new-title = Evaluar a { $name }
assessment-new-intro = Responda sí, no o se desconoce para cada factor. Se desconoce no es no: el resultado nombra los factores que se desconocen, y el nivel sigue siendo provisional hasta que alguien lo averigüe.
assessment-from-record = Según el expediente del niño o niña ({ $name }); cámbielo si ya no es cierto.
assessment-prefilled = { $count ->
    [one] Una respuesta ya está completada según el expediente del niño o niña.
   *[other] { $count } respuestas ya están completadas según el expediente del niño o niña.
}
assessment-notes = Notas
assessment-notes-hint = Lo que usted vio y oyó, y quién se lo dijo. Las notas se guardan selladas, como las notas del caso.
assessment-error-answer = Elija sí, no o se desconoce.
assessment-error-notes = Escriba como máximo 10 000 caracteres.
assessment-back = Volver a la página del niño o niña
assessment-latest = Último resultado
assessment-latest-level = Nivel calculado: { $level }
assessment-at-least = al menos { $level }
assessment-provisional = Provisional: cuando se conozcan los factores que se desconocen, el nivel podría ir de { $low } a { $high }.
assessment-could-rise = Si los factores que se desconocen están presentes, el nivel podría subir hasta { $high }.
assessment-unknown = { $count ->
    [one] Un factor se desconoce: { $names }.
   *[other] { $count } factores se desconocen: { $names }.
}
assessment-critical-alert = Nivel crítico. Este niño o niña necesita protección ahora: asegúrese hoy de que está a salvo, avise a su supervisor y llame a la policía si corre peligro.
assessment-notes-shown = Notas: { $name }
assessment-chart-title = Niveles a lo largo del tiempo
assessment-chart-date = Fecha
assessment-chart-level = Nivel
assessment-level-at-least = { $level } (al menos)
assessment-level-provisional = { $level } (provisional)

# Factores del instrumento incluido, en palabras sencillas.
assessment-factor-young_age = Corta edad: menos de 12 años
assessment-factor-girl_or_gender_risk = En riesgo por su género, por ejemplo una niña presionada para casarse pronto
assessment-factor-disability = Tiene una discapacidad
assessment-factor-minority_or_indigenous = De una minoría o un pueblo indígena que sufre discriminación
assessment-factor-no_birth_registration = Nacimiento no registrado
assessment-factor-street_child = Vive o trabaja en la calle
assessment-factor-child_labour = Trabajo infantil o trabajo doméstico
assessment-factor-unaccompanied_migrant = Niño o niña migrante sin padres ni cuidadores
assessment-factor-in_institution = Vive en una institución de cuidado
assessment-factor-risky_behaviours = Conductas de riesgo, como consumo de alcohol o drogas o fugas
assessment-factor-caregivers_absent = Los padres o cuidadores están ausentes
assessment-factor-caregiver_illness_or_death = Un cuidador está gravemente enfermo o ha fallecido
assessment-factor-family_migration = Los padres se han ido a trabajar fuera
assessment-factor-domestic_violence = Violencia en el hogar
assessment-factor-caregiver_substance_abuse = Un cuidador abusa del alcohol o las drogas
assessment-factor-caregiver_disability = Un cuidador tiene una discapacidad y poco apoyo
assessment-factor-accepts_child_marriage = La comunidad acepta el matrimonio infantil
assessment-factor-transactional_sex_norm = La comunidad tolera el sexo a cambio de dinero o regalos
assessment-factor-violence_accepted = La violencia contra los niños se acepta en la comunidad
assessment-factor-gangs = Pandillas o grupos criminales reclutan en la zona
assessment-factor-unsafe_public_spaces = El camino a la escuela o al trabajo no es seguro
assessment-factor-no_complaint_mechanism = No hay ninguna forma de quejarse o denunciar a su alcance
assessment-factor-not_in_school = No está inscrito en la escuela, o no asiste
assessment-factor-institution_unmonitored = La institución no está registrada o no se inspecciona
assessment-factor-poverty = El hogar es pobre (solo cuenta plenamente junto con otro riesgo o una crisis)
assessment-factor-basic_needs_unmet = Necesidades básicas sin cubrir: comida, vivienda o atención de salud
assessment-factor-income_pressure_on_child = Se espera que el niño o niña gane dinero para la familia
assessment-factor-environmental_shock = Sequía, desastre, conflicto o desplazamiento
assessment-factor-self_generated_images = Ha compartido imágenes sexuales de sí mismo o de sí misma
assessment-factor-online_grooming_contact = Un adulto ha buscado contacto sexual por internet
assessment-factor-tourism_area = Vive o trabaja donde llegan delincuentes sexuales de paso
assessment-factor-recruitment_offer = Ha recibido de desconocidos ofertas de trabajo, viaje o modelaje
assessment-factor-immediate_danger = En peligro ahora: abuso en curso, explotación en curso o a punto de ser trasladado
assessment-factor-already_victim = Ya es víctima de venta, trata o explotación sexual
assessment-factor-attends_school = Va a la escuela con regularidad
assessment-factor-supportive_caregiver = Un adulto en casa que cuida y apoya al niño o niña
assessment-factor-community_support = Apoyo de la comunidad o de un grupo religioso
assessment-factor-protective_norms = Costumbres de la comunidad que protegen a los niños
assessment-factor-knows_how_to_report = Sabe cómo y dónde denunciar un abuso
