# El directorio de servicios y el formulario para añadir un servicio.

services-title = Directorio de servicios
services-none = Todavía no hay servicios.
services-service = Servicio
services-name = Nombre
services-provider = Proveedor
services-sector = Sector
services-layers = Niveles de prevención
services-covers = Zona que cubre
services-answers = Atiende
services-contact = Contacto
services-add-title = Añadir un servicio
services-agency = Organismo
services-agency-hint = Los usuarios de este organismo responden a las derivaciones al servicio.
services-coverage = Zona que cubre
services-factors = Factores de riesgo que atiende
services-factors-hint = Mantenga pulsada la tecla Ctrl (o Cmd en un Mac) para elegir varios.
services-add = Añadir el servicio
services-error-name = Indique el nombre del servicio.
services-error-provider = Indique el nombre de la organización que presta el servicio.
services-error-long = No supere los 100 caracteres.
services-error-agency = Elija un organismo registrado. Un administrador añade organismos en la página Organismos.
services-error-sector = Elija el sector del servicio.
services-error-layers = Marque al menos un nivel de prevención.
services-error-coverage = Elija la zona que cubre el servicio.
services-error-contact = El contacto no puede superar los 200 caracteres.
services-error-factors = Elija los factores de riesgo de la lista.
