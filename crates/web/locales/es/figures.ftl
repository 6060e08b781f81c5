## Public figures (pages/figures.rs): the indicators an administrator marks public.

figures-title = Cifras sobre la protección de la infancia
figures-intro = Estas cifras abarcan todo el país. Se calculan a partir de los expedientes del año { $year }, el último año completo, y de los años anteriores.
figures-in-year = En { $year }:
figures-none = Todavía no se ha publicado ninguna cifra.
figures-unavailable = Las cifras no se pueden mostrar en este momento. Vuelva a intentarlo más tarde.
figures-report-link = Informar de una preocupación sobre un niño o una niña
figures-link = Consulte las cifras publicadas sobre la protección de la infancia
figures-admin-title = Cifras públicas
figures-admin-intro = Elija qué indicadores puede consultar cualquier persona, sin iniciar sesión, para todo el país. Allí las cifras pequeñas siempre se ocultan.
figures-admin-open = Abrir la página de cifras públicas
figures-admin-saved = Su elección se ha guardado.
figures-admin-table = Indicadores y su visibilidad para el público
figures-admin-col-shown = Visible para el público
figures-admin-col-change = Cambiar
figures-admin-public = Sí, visible
figures-admin-private = No, oculto
figures-admin-show = Mostrar al público
figures-admin-hide = Dejar de mostrar al público
figures-error-indicator = Elija un indicador de la lista.
figures-error-public = Indique si el indicador debe mostrarse o no.
