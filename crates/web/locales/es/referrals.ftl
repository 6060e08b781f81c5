# Derivaciones: las respuestas de la entidad receptora y las cifras por entidad.

referrals-title = Derivaciones
referrals-to-agency = Derivaciones a { $agency }
referrals-all = Todas las derivaciones
referrals-sent-title = Enviadas para niños y niñas de su zona
referrals-by-agency-title = Por entidad receptora
referrals-none = Ninguna.
referrals-none-yet = Todavía no hay derivaciones.
referrals-child = Niño o niña
referrals-service-reason = Servicio y motivo
referrals-from = De
referrals-to = A
referrals-status = Estado
referrals-due = Respuesta antes del
referrals-answer = Respuesta
referrals-their-answer = Su respuesta
referrals-overdue-since = con retraso desde el { $when }
referrals-receiving-agency = Entidad receptora
referrals-waiting = En espera
referrals-overdue = Con retraso
referrals-accept = Aceptar
referrals-decline = Rechazar
referrals-decline-reason = Motivo del rechazo
referrals-complete = Marcar como completada
referrals-what-was-done = Lo que se hizo
referrals-error-reason = Indique por qué su entidad rechaza esta derivación, para que el trabajador social pueda buscar otro servicio.
referrals-error-note = Acorte la nota y escríbala en texto sencillo.
