# Lo que comparten las listas de trabajo (Hoy, casos, derivaciones).

late-by-days = { $n ->
    [one] 1 día de retraso
   *[other] { $n } días de retraso
}
late-by-hours = { $n ->
    [one] 1 hora de retraso
   *[other] { $n } horas de retraso
}
late-by-minutes = menos de una hora de retraso

date-time = { $date }, { $time }

cases-any = Todos
cases-any-place = En toda mi zona
cases-col-district = Distrito
cases-search-label = Elegir qué casos mostrar
cases-sort = Orden
cases-sort-due = Vencimiento más próximo primero
cases-sort-risk = Mayor riesgo primero
cases-sort-updated = Último cambio primero
cases-show = Mostrar
cases-pages = Páginas de la lista
cases-previous-page = Página anterior
cases-next-page = Página siguiente
cases-caseload = Carga de casos por trabajador social
cases-caseload-open = Casos abiertos
cases-caseload-overdue = Atrasados
cases-caseload-high = Riesgo alto o crítico
cases-caseload-awaiting = En espera de aprobación

task-heading = Lo que le espera ahora
task-none = No tiene nada pendiente. Buen trabajo.
task-due-by = vence el { $when }
task-report-danger = Un niño o niña en peligro ahora: { $category }
task-report-late = Denuncia por clasificar, atrasada: { $category }
task-report-no-place = lugar no indicado
task-case = { $risk } · { $step }
task-plan-approval = Plan en espera de su aprobación: { $child }
task-closure-approval = Cierre en espera de su aprobación: { $child }
task-referral = Derivación en espera de respuesta de su organismo: { $service }
today-in-area = En su zona

referral-title = Derivación a { $service }
referral-child = El niño o la niña
referral-open-case = abrir el caso
referral-age = Edad
referral-sex = Sexo
referral-district = Distrito
referral-asked = Qué se solicita
referral-service = Servicio
referral-reason = Motivo de la derivación
referral-respond-by = Responder antes del
referral-who = Quién deriva
referral-referrer = Trabajador social
referral-reach = Cómo contactarle
referral-no-contact = no indicado: contacte a través de su organismo
referral-sent = Enviada el
referral-family = Contacto de la familia
referral-no-caregivers = No hay ninguna persona cuidadora registrada.
referral-no-consent = No se ha dado el consentimiento para compartir los datos de contacto de la familia: contacte a la familia a través del trabajador social.
referral-confirm-accept = Confirmo que mi organismo se hace cargo de esta derivación.
referral-confirm-decline = Confirmo que mi organismo rechaza esta derivación.
referral-confirm-complete = Confirmo que el servicio se ha prestado.
referral-error-confirm = Marque la casilla para confirmar su respuesta.
referral-back = Todas las derivaciones
referral-open = Abrir

account-contact = Cómo pueden contactarle sus colegas
account-contact-hint = Un teléfono o una dirección de trabajo. Los organismos a los que deriva niños y niñas lo ven, para consultarle sobre una derivación.
account-error-contact = Indique una sola línea de 200 caracteres como máximo.

case-next-closed = El caso está cerrado. Si el niño o la niña vuelve a necesitar ayuda, puede reabrirse.
case-next-plan-waiting = En espera de que un supervisor apruebe el plan.
case-next-closure-waiting = En espera de que un supervisor apruebe el cierre.
case-next-identification = Siguiente paso: { $who } evalúa al niño o la niña.
case-next-planning = Siguiente paso: { $who } redacta el plan del caso y lo envía para su aprobación.
case-next-follow-up = Siguiente paso: { $who } ejecuta el plan y registra un seguimiento antes del { $when }.
case-next-follow-up-undated = Siguiente paso: { $who } ejecuta el plan y registra un seguimiento.
case-drivers-title = Lo que aumentó el riesgo en la última evaluación
case-refer-recommended = Recomendados para este niño o niña
case-refer-others = Otros servicios del distrito
case-refer-no-consent = No consta el consentimiento para compartir los datos de este niño o niña. Regístrelo primero si puede; derive sin él solo cuando la seguridad del niño o la niña lo exija.
case-refer-no-consent-why = Por qué derivar sin consentimiento
case-error-without-consent = Explique por qué la derivación no puede esperar al consentimiento.
case-move-no-consent = No consta el consentimiento para compartir los datos de este niño o niña: un traslado a otro organismo los comparte. Explique el motivo.
case-note-referral-without-consent = Derivado sin consentimiento registrado: { $why }
case-note-transfer-without-consent = Trasladado sin consentimiento registrado: { $why }

referrals-search-label = Elegir qué derivaciones mostrar
referrals-only-late = Solo las que esperan más allá del plazo

institutions-title = Instituciones de acogida y escuelas
institutions-intro = Cada institución de acogida y cada escuela de su zona, y cuándo se inspeccionó por última vez. Los niños y niñas acogidos están más seguros donde las instituciones están registradas, supervisadas e inspeccionadas con regularidad.
institutions-none = Todavía no hay ninguna institución registrada en su zona.
institutions-add = Añadir una institución
institutions-add-button = Añadir la institución
institution-kind = Tipo
institution-kind-care_institution = Institución de acogida
institution-kind-school = Escuela
institution-name = Nombre
institution-district = Distrito
institution-registered = Registrada ante la autoridad
institution-monitored = Bajo supervisión regular
institution-status = Registro y supervisión
institution-is-registered = registrada
institution-not-registered = no registrada
institution-is-monitored = supervisada
institution-not-monitored = no supervisada
institution-last = Última inspección
institution-never = nunca inspeccionada
institution-no-date = sin fecha fijada
institution-overdue = inspección atrasada
institution-overdue-long = La inspección de esta institución está atrasada.
institution-next = Próxima inspección prevista
institution-children = Niños y niñas vinculados
institution-change = Modificar la institución
institution-error-kind = Indique si es una institución de acogida o una escuela.
institution-error-name = Indique el nombre de la institución.
institution-error-location = Elija un distrito de su zona.
inspections-title = Inspecciones
inspections-none = Todavía no hay ninguna inspección registrada.
inspection-head = { $day } · { $who }
inspection-next = Próxima inspección prevista el { $day }
inspection-recorded-by = registrada por { $who }
inspection-record = Registrar una inspección
inspection-day = Día de la inspección
inspection-inspector = Quién inspeccionó (un nombre o un equipo)
inspection-findings = Qué se encontró y qué debe hacerse después
inspection-next-due = Próxima inspección prevista (opcional)
inspection-save = Registrar la inspección
inspection-error-day = Indique el día de la inspección; no puede ser futuro.
inspection-error-next = Indique un día posterior a la inspección, o déjelo vacío.
inspection-error-inspector = Indique quién inspeccionó.
inspection-error-findings = Describa lo que se encontró (5000 caracteres como máximo).
admin-institutions = Instituciones de acogida y escuelas

triage-search-label = Elegir qué denuncias mostrar
triage-only-danger = Solo un niño o niña en peligro ahora
triage-only-late = Solo las que pasaron su plazo
child-institution = Institución de acogida o escuela
child-institution-none = Ninguna
child-institution-not-recorded = No hay ninguna institución de acogida ni escuela registrada para este niño o esta niña.
child-institution-choose = La institución de acogida o la escuela donde el niño o la niña vive o estudia
