# Figures from other countries (issue 13): pages/received_figures.rs.
received-figures-title = Figures from other countries
received-figures-intro = The public figures that trusted Haven servers in other countries have sent, as they sent them. Small numbers were hidden where the figures were calculated, so that no child can be recognised. Each country counts in its own way: compare with care.
received-figures-none = No other country has sent figures yet.
received-figures-table = Figures received
received-figures-indicator = Indicator
received-figures-origin = Sent by
received-figures-period = Period
received-figures-place = Place code
received-figures-value = Figure
received-figures-received = Received on
received-figures-hidden = Hidden (too few to show)
received-figures-back = Back to the indicators
received-figures-from-indicators = See the public figures that other countries share with this one.
received-figures-open = Open the figures from other countries
