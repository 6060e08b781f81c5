# Las listas cerradas de valores comunes a todas las páginas, un mensaje por
# valor, llamado «<lista>-<valor tal como lo escribe la API>».

sex-female = Femenino
sex-male = Masculino
sex-other = Otro
sex-unknown = Se desconoce

birth-registration-registered = Inscrito
birth-registration-not_registered = No inscrito
birth-registration-unknown = Se desconoce

living-family = Con su familia
living-kinship_care = Con parientes
living-institution = En una institución de cuidado
living-street = Vive o trabaja en la calle
living-unaccompanied_migrant = Migrante no acompañado
living-child_headed_household = Hogar encabezado por un niño o niña

location-level-country = País
location-level-region = Región
location-level-district = Distrito

risk-level-low = Bajo
risk-level-medium = Medio
risk-level-high = Alto
risk-level-critical = Crítico
risk-level-unassessed = Todavía sin evaluar

prevention-layer-primary = Prevención primaria (todos los niños y niñas)
prevention-layer-secondary = Prevención secundaria (niños y niñas en riesgo)
prevention-layer-tertiary = Prevención terciaria (víctimas)

factor-level-child = El niño o niña
factor-level-family = Familia y cuidadores
factor-level-community = Comunidad y normas sociales
factor-level-institutional = Acceso a la ley y a las instituciones
factor-level-socioeconomic = Ingresos y condiciones de vida
factor-level-environmental = Desastres y otras crisis
factor-level-online = Vida en internet y demanda

case-step-identification = Identificación
case-step-assessment = Evaluación
case-step-planning = Planificación
case-step-implementation = Ejecución
case-step-follow_up = Seguimiento
case-step-closed = Cerrado

plan-status-none = Todavía sin plan
plan-status-submitted = Esperando aprobación
plan-status-approved = Aprobado
plan-status-returned = Devuelto para cambios

consent-not_asked = Todavía no se pidió
consent-given = Dado
consent-refused = Negado

sector-social_welfare = Bienestar social
sector-education = Educación
sector-health = Salud
sector-justice = Justicia
sector-police = Policía
sector-civil_registration = Registro civil
sector-social_protection = Protección social

referral-kind-service = Servicio
referral-kind-adoption = Adopción

referral-status-sent = Esperando respuesta
referral-status-accepted = Aceptada
referral-status-declined = Rechazada
referral-status-completed = Completada

report-category-child_at_risk = Niño o niña en riesgo
report-category-abuse = Maltrato
report-category-sexual_exploitation = Explotación sexual
report-category-sale_or_trafficking = Venta o trata
report-category-child_marriage = Matrimonio infantil
report-category-illegal_adoption = Adopción ilegal
report-category-abuse_material_online = Material de abuso en internet
report-category-grooming_online = Acoso sexual en internet (grooming)

reporter-kind-child = El niño o niña
reporter-kind-friend = Un amigo o amiga
reporter-kind-parent = Un padre, madre o cuidador
reporter-kind-professional = Un o una profesional
reporter-kind-other_adult = Otra persona adulta
reporter-kind-anonymous = Anónimo

decision-open_case = Abrir un caso
decision-hotline = Enviar a la línea de denuncia
decision-police = Derivar a la policía
decision-close = Cerrar

report-status-received = Recibida
report-status-in_review = En revisión
report-status-action_taken = Se tomaron medidas
report-status-closed = Cerrada

hotline-assessment-illegal = Ilegal
hotline-assessment-not_illegal = No ilegal
hotline-assessment-needs_second_opinion = Necesita una segunda opinión

age-band-infant = Bebé
age-band-prepubescent = Prepúber
age-band-pubescent = Púber
age-band-unknown = Se desconoce

hotline-action-notice_sent = Aviso de retirada enviado
hotline-action-law_enforcement = Derivado a las fuerzas del orden
hotline-action-forwarded = Reenviado al extranjero
hotline-action-removed = Retirado

url-level-url = Solo esta dirección
url-level-prefix = Todo lo que está bajo esta ruta
url-level-domain = El dominio entero

## Forms of exploitation recorded on a case (casework::ExploitationForm).
exploitation-sale = Venta del niño o la niña
exploitation-trafficking = Trata
exploitation-sexual_exploitation = Explotación sexual
exploitation-abuse_material = Material de abuso sexual infantil
exploitation-online_grooming = Captación en línea (grooming) o sextorsión
exploitation-child_marriage = Matrimonio infantil
exploitation-forced_labour = Trabajo forzoso
exploitation-other = Otra forma
