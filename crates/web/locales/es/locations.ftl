# Lugares: el país, sus regiones y sus distritos.

locations-title = Lugares
locations-intro = Cada niño o niña, cada caso y la zona de cada persona pertenecen a uno de estos lugares. Un distrito está dentro de una región, y una región dentro del país.
locations-none = Todavía no hay lugares. Empiece por el país.
locations-table = El país, sus regiones y sus distritos
locations-name = Nombre
locations-level = Tipo de lugar
locations-code = Código
locations-code-hint = Un código corto que nunca cambia, como SL-N-01: letras, números y guiones.
locations-parent = Dentro de
locations-parent-option = { $name } ({ $level })
locations-add = Añadir un lugar
locations-add-button = Añadir el lugar
locations-added = Se añadió el lugar.
locations-error-name = Escriba el nombre del lugar.
locations-error-code = Escriba un código de hasta 32 letras, números, guiones o guiones bajos.
locations-error-code-taken = Otro lugar ya tiene este código. Elija uno diferente.
locations-error-parent = Elija el lugar dentro del cual está este.
locations-error-parent-district = Un distrito no puede contener otros lugares. Elija una región o el país.
