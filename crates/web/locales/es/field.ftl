# Trabajo sin conexión (issue 16): conflictos de los portátiles de campo y los portátiles.
nav-field = Portátiles de campo
field-title = Portátiles de campo y sus cambios
field-conflicts-title = Cambios que le esperan
field-conflicts-intro = Un cambio hecho en un portátil de campo mientras otra persona cambiaba lo mismo en el servidor. No se sobrescribió nada: elija qué valor conserva la ficha. Los demás cambios hechos en el portátil se aplicaron.
field-conflicts-none = Ningún cambio le espera.
field-found = Encontrado al sincronizar el portátil de { $who } el { $when }.
field-value-before = Antes de ambos cambios
field-value-laptop = Escrito en el portátil
field-value-server = En el servidor ahora
field-keep-laptop = Conservar el valor del portátil
field-keep-server = Conservar el valor del servidor
field-registration-title = Un niño o niña registrado sin conexión que quizá ya está registrado
field-registration-text = Haven encontró un niño o niña ya registrado que quizá es el mismo. Todavía no se registró nada: compare los dos, abra el expediente registrado si tiene dudas y luego decida.
field-registration-laptop = Registrado en el portátil
field-registration-server = Ya registrado
field-register-different = Otro niño o niña: registrar
field-register-same = El mismo niño o niña: no registrar
field-registered = El niño o niña quedó registrado.
field-not-registered = No se registró nada: el expediente es el que ya estaba registrado.
field-kept-laptop = El valor del portátil está ahora en la ficha.
field-kept-server = El valor del servidor sigue en la ficha.
field-no-value = (vacío)
field-household = Hogar
field-laptops-title = Portátiles de campo
field-laptops-intro = Portátiles inscritos para trabajar sin conexión. Cada uno se sincroniza como su usuario, dentro de la zona de ese usuario; un portátil revocado no puede volver a sincronizarse.
field-laptops-none = No hay ningún portátil inscrito.
field-laptop = Portátil
field-user = Usuario
field-last-sync = Última sincronización
field-never = Nunca
field-applied = Cambios aplicados
field-pending = Cambios aún en el portátil
field-revoke-column = Revocar
field-revoke = Revocar
field-revoke-named = Revocar { $name }
field-revoked-on = revocado el { $date }
field-revoked-done = El portátil está revocado: su próxima sincronización será rechazada.

## Las páginas propias de un portátil de campo
laptop-title = Sincronización de este portátil
laptop-intro = Este portátil funciona sin conexión. Los niños y niñas registrados aquí, los cambios en sus expedientes y las evaluaciones se guardan aquí y se envían al servidor en la próxima sincronización; los nuevos hogares y los pasos del caso se hacen en línea, en el servidor.
laptop-automatic = { $minutes ->
    [one] También se sincroniza por sí solo cada minuto cuando se puede contactar con el servidor.
   *[other] También se sincroniza por sí solo cada { $minutes } minutos cuando se puede contactar con el servidor.
}
laptop-server = Servidor
laptop-waiting = Cambios pendientes de envío
laptop-sync-now = Sincronizar ahora
laptop-refused-title = Cambios rechazados por el servidor
laptop-refused-intro = El servidor no aceptó estos cambios, por el motivo indicado. Se quedan en este portátil: vuelva a hacer el cambio en el expediente si todavía corresponde y luego descártelo aquí.
laptop-refused-none = No se rechazó ningún cambio.
laptop-refused-change = Cambio hecho el { $date }
laptop-refused-assessment = Evaluación hecha el { $date }
laptop-refused-answers = Respuestas dadas: { $count }
laptop-refused-case-step = Paso del caso dado el { $date }
laptop-refused-case-note = Nota del caso escrita el { $date }
laptop-refused-referral = Derivación hecha el { $date }
laptop-refused-fields = Campos cambiados
laptop-refused-reason = El motivo del servidor
laptop-discard = Descartar este cambio
laptop-discarded = El cambio rechazado se descartó.
laptop-synced = Sincronización hecha: { $applied } cambios aplicados, { $conflicts } guardados para que una persona elija, { $refused } rechazados; { $received } expedientes recibidos, { $removed } retirados (ya no están en su zona); { $cases } casos recibidos, { $cases_removed } retirados (cerrados o confiados a otra persona).
laptop-unreachable = No se pudo contactar con el servidor. No se perdió nada: los cambios se quedan en este portátil para la próxima sincronización.
laptop-offline-title = No en este portátil
laptop-offline-text = Este portátil solo guarda los niños y niñas registrados en él, los cambios en los expedientes, las evaluaciones y los pasos, notas y derivaciones de los casos, que envía al servidor en la próxima sincronización. Registre los nuevos hogares, abra casos, registre el consentimiento, responda a las derivaciones y reasigne casos en línea, en el servidor.
laptop-destroyed = El servidor revocó este portátil y los datos que contenía se destruyeron. Ya no se puede abrir nada en él. Consulte a su administrador antes de volver a inscribirlo.
