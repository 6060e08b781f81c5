# Común a todas las páginas del personal: diseño, menú, roles, fechas y
# respuestas a una solicitud rechazada o fallida.

brand = Haven
skip-to-content = Ir al contenido principal
nav-label = Menú principal
nav-today = Hoy
nav-children = Niños y niñas
nav-register-child = Registrar a un niño o niña
nav-cases = Casos
nav-reports = Denuncias
nav-referrals = Derivaciones
nav-services = Servicios
nav-hotline = Línea de denuncia
nav-hash-lists = Listas de huellas
nav-match-tester = Prueba de coincidencias
nav-url-list = Lista de URL
nav-instrument = Instrumento de evaluación
nav-locations = Lugares
nav-account = Mi cuenta
sign-out = Cerrar sesión
signed-in-as = { $name } ({ $role })

role-admin = administrador
role-supervisor = supervisor
role-caseworker = trabajador social
role-analyst = analista de la línea de denuncia
role-monitor = responsable de seguimiento y evaluación
role-partner = sistema asociado
role-liaison = oficial de enlace policial

month-1 = enero
month-2 = febrero
month-3 = marzo
month-4 = abril
month-5 = mayo
month-6 = junio
month-7 = julio
month-8 = agosto
month-9 = septiembre
month-10 = octubre
month-11 = noviembre
month-12 = diciembre
date-long = { $day } de { $month } de { $year }

children-count = { $count ->
    [one] { $count } niño o niña
   *[other] { $count } niños y niñas
}

yes = Sí
no = No
not-known = Se desconoce
choose = Elegir…
save = Guardar
go-back = Volver
fix-errors-title = Algunas respuestas deben corregirse
fix-errors = Revise las respuestas marcadas abajo; todavía no se ha guardado nada.

problem-title = No se pudo hacer
problem-400 = No se entendió una parte de la solicitud.
problem-401 = Vuelva a iniciar sesión.
problem-403 = Su rol o su zona no lo permiten.
problem-404 = Esta página o este expediente no existe, o no está en su zona.
problem-409 = Ahora no se puede: el expediente no está en un estado que lo permita (puede que ya esté hecho, cerrado o respondido). Recargue la página para ver cómo está.
problem-413 = Lo que envió es demasiado grande.
problem-422 = Una parte de lo que envió no se puede usar.
problem-429 = Demasiados intentos. Espere un poco e inténtelo de nuevo.
problem-500 = Algo falló de nuestro lado. No se cambió nada. Inténtelo de nuevo y avise a su administrador si vuelve a ocurrir.
problem-503 = Haven está ocupado o no puede llegar a su base de datos. No se cambió nada. Inténtelo de nuevo en unos minutos.
problem-detail = Detalles para su administrador (en inglés)
problem-form-expired = Este formulario caducó o no viene de Haven. Vuelva atrás, recargue la página e inténtelo de nuevo.
not-found-title = Página no encontrada
not-found-text = No hay ninguna página en esta dirección. Puede que se haya movido o que el enlace esté mal.
not-found-home = Ir a la página de inicio

account-title = Mi cuenta
account-language = Idioma
account-language-browser = El de mi navegador
account-language-hint = El idioma de las páginas de Haven para usted, en cualquier ordenador donde inicie sesión.
account-saved = Sus ajustes se guardaron.
account-second-factor = Configurar o cambiar el segundo paso de inicio de sesión
error-language = Elija uno de los idiomas ofrecidos.
