# Las páginas de los casos: la lista, un caso con los formularios de sus
# próximos pasos, y la parte del caso en la página de un niño o niña.

cases-open = Casos abiertos
cases-mine = Mis casos
cases-overdue = Casos atrasados
cases-awaiting = Pendientes de un supervisor
cases-with-closed = Todos los casos, incluidos los cerrados
cases-filter-label = Qué casos
cases-filter-mine = Los míos
cases-filter-overdue = Atrasados
cases-filter-awaiting = Pendientes de aprobación
cases-filter-open = Todos los abiertos
cases-filter-closed = Incluidos los cerrados
cases-none = No hay casos aquí.
cases-moved = El caso se ha trasladado.
cases-col-child = Niño o niña
cases-col-step = Paso
cases-col-risk = Riesgo
cases-col-caseworker = Trabajador social
cases-col-due = Próxima acción antes del
cases-plan-waiting = plan pendiente de aprobación
cases-closure-waiting = cierre pendiente de aprobación
case-not-assessed = sin evaluar
case-urgent = URGENTE
case-due-overdue = atrasado desde el { $when }
case-due-soon = en menos de un día ({ $when })
case-due-none = —

case-title = Caso de { $name }
case-heading = Caso:
case-steps = Pasos del caso
case-suggested = Derivación sugerida: { $name }
case-suggested-civil-registration = el nacimiento del niño o la niña no está registrado.
case-step = Paso
case-risk = Riesgo
case-caseworker = Trabajador social
case-agency = Organismo
case-due = Próxima acción antes del
case-consent = Consentimiento
case-views = La opinión del niño o la niña
case-views-none = no recogida
case-adoptability = Adoptabilidad
case-adoptability-none = ninguna determinación registrada
case-plan = Plan del caso
case-plan-none = aún sin redactar
case-next-title = Próximos pasos
case-next-assess = Siguiente: evaluar al niño o la niña.
case-next-assess-link = Evaluar al niño o la niña
case-next-assess-after = El caso avanza en cuanto se guarda la evaluación.
case-closure-waiting = El cierre está pendiente de un supervisor.

case-action-submit_plan = Enviar el plan para su aprobación
case-action-approve_plan = Aprobar el plan
case-action-return_plan = Devolver el plan
case-action-follow_up = Registrar el seguimiento
case-action-request_closure = Solicitar el cierre del caso
case-action-approve_closure = Aprobar el cierre
case-action-reject_closure = Mantener el caso abierto
case-action-reopen = Reabrir el caso
case-text-submit_plan = Plan del caso: objetivos, servicios, quién hace qué y para cuándo
case-text-return_plan = ¿Qué hay que cambiar?
case-text-follow_up = ¿Qué se constató en la visita o la revisión?
case-text-request_closure = ¿Por qué puede cerrarse el caso?
case-text-reject_closure = ¿Por qué mantenerlo abierto?
case-text-reopen = ¿Por qué reabrirlo?

case-done-opened = Caso abierto.
case-done-submit_plan = Guardado: el plan se ha enviado para su aprobación.
case-done-approve_plan = Guardado: el plan está aprobado.
case-done-return_plan = Guardado: el plan se ha devuelto para cambios.
case-done-follow_up = Guardado: el seguimiento está registrado.
case-done-request_closure = Guardado: se ha solicitado el cierre; decide un supervisor.
case-done-approve_closure = Guardado: cierre aprobado.
case-done-reject_closure = Guardado: el caso sigue abierto.
case-done-reopen = Guardado: el caso está abierto de nuevo.
case-done-note = Nota añadida.
case-done-consent = Consentimiento registrado.
case-done-adoptability = Determinación registrada.
case-done-referral = Derivación enviada.

case-referrals-title = Derivaciones
case-referrals-none = Todavía no hay derivaciones.
case-col-service = Servicio
case-col-agency = Organismo
case-col-status = Estado
case-col-answer = Respuesta
case-col-deadline = Plazo
case-referral-adoption = adopción
case-referral-late = sin respuesta desde el { $when }
case-referral-due = respuesta esperada el { $when }
case-refer-title = Derivar a un servicio
case-refer-service = Servicio
case-refer-option = { $name } — { $who } ({ $service })
case-refer-suggested = { $name } (sugerido)
case-refer-kind = Tipo
case-refer-reason = Lo que el niño o la niña necesita de este servicio
case-refer-send = Enviar la derivación

case-notes-title = Notas, consentimiento y opinión del niño o la niña
case-note = Nota del caso (se guarda cifrada)
case-note-add = Añadir la nota
case-consent-views = La opinión del niño o la niña, con sus propias palabras
case-consent-record = Registrar
case-move-title = Reasignar o transferir
case-move-to = Nombre de usuario del trabajador social
case-move-agency = Código del nuevo organismo (solo para transferir)
case-move-reason = Motivo
case-move = Trasladar el caso
case-adopt-title = Registrar una determinación de adoptabilidad
case-adopt-text = Quién decidió, cuándo y con qué fundamentos (búsqueda de la familia, opinión y consentimiento del niño o la niña)
case-adopt-record = Registrar la determinación
case-history-title = Historial
case-event = { $when } · { $who } · { $name }

case-event-opened = caso abierto
case-event-note = nota
case-event-consent = consentimiento
case-event-adoptability = adoptabilidad
case-event-referral = derivación
case-event-assigned = reasignado
case-event-transferred = transferido
case-event-record_assessment = evaluación
case-event-submit_plan = plan enviado para su aprobación
case-event-approve_plan = plan aprobado
case-event-return_plan = plan devuelto
case-event-follow_up = seguimiento
case-event-request_closure = cierre solicitado
case-event-approve_closure = cierre aprobado
case-event-reject_closure = cierre denegado
case-event-reopen = reabierto
case-event-report = denuncia

case-section-title = Caso
case-section-open = Caso abierto
case-section-summary = { $name } · riesgo { $level } · próxima acción antes del { $when }
case-section-none = No hay ningún caso abierto.
case-section-closed = { $count ->
    [one] { $count } caso cerrado en el historial.
   *[other] { $count } casos cerrados en el historial.
}
case-section-assign = Trabajador social que llevará el caso (nombre de usuario)
case-section-open-button = Abrir un caso

case-error-text = Escriba unas palabras: este paso las necesita.
case-error-too-long = Escriba 10.000 caracteres como máximo.
case-error-note = Escriba la nota.
case-error-consent = Elija una de las opciones: todavía no se pidió, dado o negado.
case-error-determination = Escriba quién decidió, cuándo y con qué fundamentos.
case-error-assigned-to = Indique el nombre de usuario de un trabajador social o supervisor que trabaje en la zona de este niño o niña.
case-error-agency = Indique un código de organismo: de 1 a 32 letras, cifras, «-» o «_».
case-error-move-reason = Indique por qué se traslada el caso.
case-error-service = Elija un servicio que cubra el distrito del niño o la niña.
case-error-kind = Una derivación a adopción requiere antes una determinación de adoptabilidad registrada.
case-error-reason = Indique lo que el niño o la niña necesita de este servicio.

## The form of exploitation a case is about.
case-exploitation = Forma de explotación
case-exploitation-hint = (si el niño o la niña es víctima; se usa solo en cifras anónimas)
case-exploitation-none = Ninguna registrada
case-exploitation-record = Registrar la forma
case-done-exploitation = Forma de explotación registrada.
case-event-exploitation = forma de explotación
case-error-exploitation = Elija una forma de explotación de la lista, o ninguna.
