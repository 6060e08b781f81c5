## Marcos lógicos (pages/logframes.rs, api/logframes.rs): cadenas de resultados medidas con los indicadores.

logframes-error-title = Escriba un título para el marco lógico.
logframes-error-title-long = El título no debe superar los 200 caracteres.
logframes-error-level = Elija un nivel: impacto, efecto, producto o actividad.
logframes-error-no-parent = Un impacto no tiene ningún resultado por encima: deje vacío «pertenece a».
logframes-error-parent = Elija el resultado al que pertenece este.
logframes-error-parent-level = Elija un resultado de este marco lógico un nivel por encima (un efecto pertenece al impacto, un producto a un efecto, una actividad a un producto).
logframes-error-statement = Describa el resultado con sus propias palabras.
logframes-error-long = Este texto no debe superar los 2000 caracteres.
logframes-error-indicator = Elija un indicador de la lista.
logframes-error-linked = Este indicador ya está vinculado a este resultado.
logframes-error-value = Escriba un número, por ejemplo 12 o 12,5.
logframes-error-date = Escriba la fecha como año-mes-día, por ejemplo 2026-12-31.
