# Las páginas de los niños: la lista con su búsqueda, el formulario de
# registro y de modificación, y la página de un niño o niña.

children-title = Niñas y niños
children-search-label = Buscar niñas y niños
children-name = Nombre
children-name-example = p. ej. Amina Diallo
children-place = Lugar
children-any-place = Cualquier lugar
children-sex = Sexo
children-age = Edad
children-any = Cualquiera
children-any-age = Cualquier edad
children-birth-registration = Registro de nacimiento
children-search = Buscar
children-none = Ningún niño ni niña coincide.
children-next-page = Página siguiente
children-col-name = Nombre
children-col-sex = Sexo
children-col-age = Edad
children-col-district = Distrito
children-col-birth-registration = Registro de nacimiento
children-age-band = { $first } a { $last } años
child-age-about = unos { $n }
children-error-search-name = Busque con 100 caracteres como máximo.
children-error-filter = Elija una de las opciones ofrecidas.

child-register-title = Registrar a un niño o niña
child-edit-title = Modificar el expediente de { $name }
child-fieldset-child = El niño o la niña
child-given-name = Nombre
child-family-name = Apellidos
child-family-name-hint = Déjelo vacío si no se conocen.
child-sex = Sexo
child-birth-legend = Fecha de nacimiento o edad
child-birth-hint = Indique la fecha de nacimiento si se conoce; si no, una edad estimada en años.
child-date-of-birth = Fecha de nacimiento
child-estimated-age = Edad estimada en años
child-district = Distrito
child-birth-registration = Registro de nacimiento
child-living-situation = Situación de convivencia
child-minority-group = Grupo minoritario o indígena (si lo hay)
child-in-school = Va a la escuela
child-disability = Tiene una discapacidad
child-child-labour = En trabajo infantil o trabajo doméstico
child-household-legend = Hogar y persona cuidadora principal (opcional)
child-address = Dirección o indicaciones para llegar
child-caregiver-given-name = Nombre de la persona cuidadora
child-caregiver-family-name = Apellidos de la persona cuidadora
child-caregiver-relationship = Relación con el niño o la niña
child-caregiver-relationship-hint = Por ejemplo madre, tía, abuelo.
child-caregiver-contact = Teléfono o contacto de la persona cuidadora
child-save = Guardar
child-save-register = Registrar

child-error-given-name = Indique el nombre del niño o la niña.
child-error-too-long = Escriba 100 caracteres como máximo.
child-error-address-too-long = Escriba 500 caracteres como máximo.
child-error-contact-too-long = Escriba 200 caracteres como máximo.
child-error-characters = Quite de este texto los caracteres invisibles o de control.
child-error-sex = Elija el sexo del niño o la niña, o «Se desconoce».
child-error-dob-or-age = Indique una fecha de nacimiento o una edad estimada.
child-error-dob-and-age = Indique una fecha de nacimiento o una edad estimada, no ambas.
child-error-dob-format = Escriba la fecha de nacimiento completa, por ejemplo 2015-04-30.
child-error-dob-future = La fecha de nacimiento no puede estar en el futuro.
child-error-dob-adult = Con esta fecha de nacimiento la persona tiene 18 años o más; Haven registra a niñas y niños de 0 a 17 años.
child-error-age-number = Escriba la edad en años enteros, por ejemplo 7.
child-error-age-range = Indique una edad entre 0 y 17 años.
child-error-district = Elija un distrito de su zona.
child-error-choose = Elija una de las opciones ofrecidas.
child-error-caregiver-name = Indique el nombre de la persona cuidadora, o deje vacíos sus datos.
child-error-relationship = Indique la relación de la persona cuidadora con el niño o la niña.
child-error-household = Este hogar no está en su zona.

child-registered = El niño o la niña ha quedado registrado.
child-saved = El expediente se ha guardado.
child-edit-link = Modificar este expediente
child-record-number = Número de expediente
child-age-value = { $count ->
    [one] { $count } año
   *[other] { $count } años
}
child-born = nacido/a el { $when }
child-born-estimated = estimada; nacido/a hacia el { $when }
child-household = Hogar
child-caregiver = { $name } ({ $who })

duplicates-title = Posibles expedientes duplicados
duplicates-text = Estos expedientes pueden ser del mismo niño o niña. No se ha fusionado nada: compruébelo con la familia o con sus colegas antes de actuar.
duplicate-item = { $count ->
    [one] { $count } año
   *[other] { $count } años
}, { $place }
duplicate-same-name = mismo nombre
duplicate-same-name-transliterated = mismo nombre una vez transliterado
duplicate-similar-name = nombre parecido ({ $score } % de parecido)
duplicate-same-birth = misma fecha de nacimiento
duplicate-birth-days-apart = { $days ->
    [one] fechas de nacimiento con { $days } día de diferencia
   *[other] fechas de nacimiento con { $days } días de diferencia
}
duplicate-estimate-range = edades dentro del margen de una estimación
duplicate-same-district = mismo distrito
duplicate-neighbour-district = distrito vecino de la misma región
