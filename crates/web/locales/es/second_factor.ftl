# El segundo paso de inicio de sesión: un código de una aplicación de autenticación tras la contraseña.

second-factor-code-title = Escriba su código
second-factor-code-intro = Su contraseña es correcta. Abra la aplicación de autenticación en su teléfono y escriba los seis dígitos que muestra para Haven.
second-factor-code = Código
second-factor-code-hint = ¿No tiene el teléfono? Escriba en su lugar uno de sus códigos de recuperación.
second-factor-continue = Continuar
second-factor-wrong-code = Ese código no es correcto. Escriba los seis dígitos que muestra ahora la aplicación, o un código de recuperación sin usar.
second-factor-wait = Demasiados códigos erróneos. Espere un minuto e inténtelo de nuevo.
second-factor-title = Segundo paso de inicio de sesión
second-factor-intro = Con un segundo paso, quien descubra su contraseña seguirá sin poder entrar en su nombre: Haven pide también un código de una aplicación en su teléfono.
second-factor-must-enrol = Su rol debe usar un segundo paso de inicio de sesión. Configúrelo ahora para continuar.
second-factor-begin = Configurar una aplicación de autenticación
second-factor-scan-title = Vincule su teléfono
second-factor-step-app = Instale una aplicación de autenticación en su teléfono (cualquiera que lea códigos TOTP).
second-factor-step-scan = En la aplicación, añada una cuenta y escanee este código.
second-factor-step-type = ¿No puede escanear? Escriba esta clave en la aplicación:
second-factor-step-code = Escriba los seis dígitos que la aplicación muestra ahora para Haven.
second-factor-qr-label = Código QR para escanear con una aplicación de autenticación
second-factor-confirm = Activar el segundo paso
second-factor-on = { $count ->
    [one] El segundo paso está activado. Le queda un código de recuperación sin usar.
   *[other] El segundo paso está activado. Le quedan { $count } códigos de recuperación sin usar.
}
second-factor-remove = Desactivar el segundo paso
second-factor-recovery-title = Sus códigos de recuperación
second-factor-recovery-once = Anótelos o imprímalos ahora y guárdelos lejos de su teléfono. Cada uno sirve una vez, si pierde el teléfono. No se volverán a mostrar.
second-factor-recovery-done = Ya los guardé: continuar
second-factor-roles-title = Quién debe usarlo
second-factor-roles = Roles que deben usar un segundo paso de inicio de sesión
second-factor-roles-hint = Las personas con estos roles lo configurarán la próxima vez que inicien sesión. Los sistemas asociados usan tokens de API y no se ven afectados.
