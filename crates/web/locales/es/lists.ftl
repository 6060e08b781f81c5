# Listas de huellas, sus entradas e importaciones, el comprobador de coincidencias y la lista de direcciones.

lists-title = Listas de huellas
lists-intro = Listas de huellas de material confirmado. Las imágenes se procesan al subirlas y nunca se guardan.
lists-none = Todavía no hay listas.
lists-list = Lista
lists-description = Descripción
lists-enabled-entries = Entradas activas
lists-enabled-of = { $count } de { $total }
lists-created = Creada el
lists-new-title = Nueva lista
lists-name = Nombre
lists-create = Crear la lista
lists-entries-enabled = { $count } de { $total } entradas activas.
lists-added = { $count ->
    [one] { $count } añadida a la lista.
   *[other] { $count } añadidas a la lista.
}
lists-no-entries = Todavía no hay entradas.
lists-hash = Huella
lists-category = Categoría
lists-source = Origen
lists-added-column = Añadida
lists-added-by = { $who } ({ $when })
lists-state = Estado
lists-change = Cambiar
lists-entry-enabled = activa
lists-entry-disabled = desactivada
lists-enable = Activar
lists-disable = Desactivar
lists-next = Entradas siguientes
lists-add-hash-title = Añadir una huella
lists-hash-label = Huella PDQ (64 dígitos hexadecimales), MD5 (32) o sha256: seguido de 64
lists-add = Añadir
lists-add-image-title = Añadir una imagen
lists-image-never-kept = Se calcula la huella de la imagen y luego se descarta; nunca se guarda.
lists-image-file = Archivo de imagen
lists-hash-and-add = Calcular la huella y añadirla
lists-import-title = Importar un archivo de huellas
lists-import-source = Origen del archivo
lists-import-hashes = Una huella por línea (o el CSV que escribe el comando haven hash)
lists-import = Importar
lists-imports-title = Importaciones
lists-no-imports = Todavía no hay importaciones.
lists-import-line = { $name }: { $count ->
    [one] { $count } entrada
   *[other] { $count } entradas
} por { $who } el { $when }
lists-match-intro = Compare una huella o una imagen con todas las entradas activas (distancia hasta { $n }). Las imágenes se procesan y se descartan.
lists-match-hash = Huella PDQ (64 dígitos hexadecimales)
lists-match-image = o un archivo de imagen
lists-match = Comparar
lists-match-results = Resultados
lists-match-query = Huella PDQ buscada:
lists-no-match = No hay coincidencias.
lists-entry = Entrada
lists-distance = Distancia
lists-urls-version = Versión { $n }.
lists-urls-intro = Los proveedores de internet descargan la lista entera, o solo los cambios desde su versión:
lists-urls-none = No hay direcciones en la lista.
lists-urls-address = Dirección
lists-urls-covers = Alcance
lists-urls-version-column = Versión
lists-urls-remove = Quitar (material retirado)
lists-urls-add-title = Añadir una dirección
lists-urls-add = Añadir a la lista
lists-error-name = Dé un nombre a la lista.
lists-error-name-taken = Ya existe una lista con este nombre. Elija otro.
lists-error-long = No supere los 100 caracteres.
lists-error-description = La descripción no puede superar los 1000 caracteres.
lists-error-hash-missing = Indique la huella que desea añadir.
lists-error-hash = Esta huella no se puede usar: indique una huella PDQ (64 dígitos hexadecimales), un MD5 (32) o sha256: seguido de 64. La huella PDQ de una imagen con muy poco detalle no se puede incluir.
lists-error-import-source = Indique el origen del archivo.
lists-error-hashes-missing = Pegue al menos una huella, una por línea.
lists-error-hashes = Algunas líneas no son huellas legibles. Cada línea debe tener una huella PDQ (64 dígitos hexadecimales), un MD5 (32) o sha256: seguido de 64.
lists-error-hashes-many = Hay demasiadas huellas para una sola importación. Divida el archivo e impórtelo por partes.
lists-error-image = Elija un archivo de imagen.
lists-error-image-large = La imagen es demasiado grande. Elija un archivo más pequeño.
lists-error-image-unusable = Este archivo no se puede usar: no es una imagen que Haven pueda leer, o tiene muy poco detalle para compararla.
lists-error-pdq = Una huella PDQ tiene 64 dígitos hexadecimales (0 a 9 y a a f).
lists-error-match-missing = Indique una huella o elija una imagen.
lists-error-match-detail = Hay muy poco detalle para una comparación fiable. Pruebe con otra imagen u otra huella.
lists-error-level = Elija el alcance de la entrada.
lists-error-url-missing = Indique la dirección web que desea añadir.
lists-error-url = Indique una dirección web completa, que empiece por http:// o https://, o un nombre de dominio.
lists-error-url-listed = Esta dirección ya está en la lista en este nivel.
lists-import-check-title = Revisar la importación
lists-import-summary = { $count ->
    [one] 1 línea se puede importar
   *[other] { $count } líneas se pueden importar
}; { $n ->
    [0] todas las líneas se pueden leer.
    [one] 1 línea no.
   *[other] { $n } líneas no.
}
lists-import-failed-title = Líneas que no se pueden importar
lists-import-line-number = Línea
lists-import-line-text = Tal como está escrita
lists-import-reason = Motivo
lists-import-reason-not-a-hash = No es una huella que Haven pueda leer: una huella PDQ tiene 64 dígitos hexadecimales, un MD5 32, y un SHA-256 se escribe sha256: seguido de 64.
lists-import-reason-detail = La imagen de esta huella tiene muy poco detalle para compararse (una imagen vacía o lisa coincidiría con todas las demás).
lists-import-reason-quality = La calidad tras la coma debe ser un número de 0 a 100.
lists-import-confirm = { $count ->
    [one] Importar la línea que se puede leer
   *[other] Importar las { $count } líneas que se pueden leer
}
lists-import-nothing = Ninguna línea de este archivo se puede importar. No se añadió nada.
lists-import-cancel = Volver a la lista sin importar
lists-match-flips = También se encuentran las copias giradas o reflejadas de una imagen.
lists-not-given = no indicado
