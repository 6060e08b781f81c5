# La línea de denuncia: material denunciado, su evaluación y las medidas
# tomadas, las cifras publicadas y el escritorio de analistas y supervisores.

hotline-title = Línea de denuncia
hotline-none = —
hotline-percent = { $n } %
hotline-hours = { $n } h
hotline-published-figures = Cifras publicadas
hotline-figures-received = denuncias recibidas
hotline-figures-illegal = evaluadas como ilegales ({ $count } de { $total } evaluadas)
hotline-figures-median = tiempo mediano entre la denuncia y la retirada
hotline-figures-p90 = tiempo de retirada para 9 de cada 10 elementos (percentil 90)
hotline-figures-within-3-days = retiradas en 3 días o menos
hotline-desk-waiting = Pendiente
hotline-desk-figures = Cifras de la línea de denuncia
hotline-desk-to-triage = { $count ->
    [one] denuncia por clasificar
   *[other] denuncias por clasificar
}
hotline-desk-danger = con un niño o una niña en peligro ahora
hotline-desk-late = { $count ->
    [one] denuncia con retraso
   *[other] denuncias con retraso
}
hotline-desk-to-assess = { $count ->
    [one] elemento por evaluar
   *[other] elementos por evaluar
}
hotline-reported-material = Material denunciado
hotline-do-not-open = No abra estas direcciones fuera del puesto de trabajo seguro.
hotline-no-items = Todavía no hay material denunciado.
hotline-address = Dirección
hotline-state = Estado
hotline-reported = Denunciado el
hotline-hosted-in = Alojado en
hotline-add-label = Añadir una dirección encontrada de otro modo (por ejemplo, enviada por un socio)
hotline-add = Añadir el elemento
hotline-state-to-assess = por evaluar
hotline-state-second-opinion = necesita una segunda opinión
hotline-state-not-illegal = no es ilegal
hotline-state-send-notice = ilegal: enviar el aviso
hotline-state-waiting-removal = ilegal: pendiente de retirada
hotline-state-removed = retirado
hotline-sex-both = Ambos
hotline-item-title = Elemento denunciado
hotline-item-reveal = Mostrar la imagen (sigue borrosa y en gris hasta que usted lo decida)
hotline-item-image-alt = La imagen que se acaba de procesar
hotline-item-assessment = Evaluación
hotline-item-not-yet = todavía no
hotline-item-by = por { $who } el { $when }
hotline-item-who-when = { $who } el { $when }
hotline-item-second-analyst = Segundo analista
hotline-item-category = Categoría
hotline-item-category-hint = Como la nombra la ley nacional. Obligatoria si el material es ilegal.
hotline-item-depicted = Niños y niñas representados
hotline-item-hosting = Alojamiento
hotline-item-notice = Aviso enviado
hotline-item-police = Fuerzas del orden
hotline-item-forwarded = Reenviado
hotline-item-listed = En la lista de direcciones
hotline-item-listed-no-longer = Ya no (la retirada está publicada)
hotline-item-removed = Retirado
hotline-item-assess-title = Evaluar
hotline-item-assessment-label = Según la ley nacional, el material es
hotline-item-age-label = Edad aparente de los niños y niñas
hotline-item-sex-label = Sexo aparente
hotline-item-country-label = País de alojamiento (dos letras, por ejemplo NL)
hotline-item-provider-label = Proveedor de alojamiento
hotline-item-assess-button = Registrar la evaluación
hotline-item-confirm-text = Un segundo analista puede confirmar esta evaluación.
hotline-item-confirm-button = Confirmar la evaluación
hotline-item-notice-button = Aviso de retirada enviado al proveedor
hotline-item-police-button = Remitido a las fuerzas del orden
hotline-item-forward-label = Línea de denuncia del país de alojamiento
hotline-item-forward-button = Reenviado al extranjero
hotline-item-removed-text = Comprobado: el material ya no está. Esto registra la hora de la retirada y quita la dirección de la lista.
hotline-item-removed-button = Material retirado
hotline-item-hash-title = Añadir la huella de una imagen confirmada a una lista
hotline-item-hash-text = Se calcula la huella de la imagen y luego se descarta; nunca se guarda.
hotline-item-list-label = Lista
hotline-item-image-label = Archivo de imagen
hotline-item-hash-button = Calcular la huella y añadirla
hotline-item-from-report = La denuncia de origen
hotline-done-assessed = Evaluación registrada.
hotline-done-confirmed = Evaluación confirmada.
hotline-done-recorded = Registrado.
hotline-done-hashed = La huella de la imagen se añadió a la lista y la imagen se descartó.
hotline-error-url-missing = Indique la dirección web del material.
hotline-error-url = Indique una dirección web completa, que empiece por http:// o https://.
hotline-error-assessment = Elija qué es el material según la ley nacional.
hotline-error-category = Indique la categoría del material según la ley nacional.
hotline-error-category-long = La categoría no puede superar los 60 caracteres.
hotline-error-age-band = Elija la edad aparente de la lista.
hotline-error-sex = Elija el sexo aparente de la lista.
hotline-error-country = Indique el país de alojamiento con dos letras, por ejemplo NL.
hotline-error-provider = El proveedor no puede superar los 120 caracteres.
hotline-error-forwarded = Indique la línea de denuncia, y su país, a la que se reenvió la denuncia.
hotline-error-list = Elija la lista a la que añadir la imagen.
hotline-error-image = Elija un archivo de imagen.
hotline-error-image-large = La imagen es demasiado grande. Elija un archivo más pequeño.
hotline-error-image-unusable = Este archivo no se puede usar: no es una imagen que Haven pueda leer, o tiene muy poco detalle para compararla.
