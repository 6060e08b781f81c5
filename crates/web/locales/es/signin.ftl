# The sign-in page.

signin-title = Iniciar sesión
signin-name = Nombre de usuario
signin-password = Contraseña
signin-submit = Iniciar sesión
signin-language = Idioma
signin-expired = El formulario de inicio de sesión ha caducado. Vuelva a intentarlo.
signin-wrong = El nombre de usuario y la contraseña no coinciden.
signin-wait = { $count ->
    [one] Demasiados intentos fallidos. Espere { $count } segundo y vuelva a intentarlo.
   *[other] Demasiados intentos fallidos. Espere { $count } segundos y vuelva a intentarlo.
}
