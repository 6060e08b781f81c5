# Cifras de otros países (incidencia 13): pages/received_figures.rs.
received-figures-title = Cifras de otros países
received-figures-intro = Las cifras públicas que han enviado los servidores Haven de confianza de otros países, tal como las enviaron. Las cifras pequeñas se ocultaron donde se calcularon, para que ningún niño ni niña pueda ser reconocido. Cada país cuenta a su manera: compare con cuidado.
received-figures-none = Ningún otro país ha enviado cifras todavía.
received-figures-table = Cifras recibidas
received-figures-indicator = Indicador
received-figures-origin = Enviada por
received-figures-period = Período
received-figures-place = Código del lugar
received-figures-value = Cifra
received-figures-received = Recibida el
received-figures-hidden = Oculta (demasiado pocos para mostrarla)
received-figures-back = Volver a los indicadores
received-figures-from-indicators = Consulte las cifras públicas que otros países comparten con el suyo.
received-figures-open = Abrir las cifras de otros países
