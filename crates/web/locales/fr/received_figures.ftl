# Chiffres des autres pays (ticket 13) : pages/received_figures.rs.
received-figures-title = Chiffres des autres pays
received-figures-intro = Les chiffres publics envoyés par les serveurs Haven de confiance d’autres pays, tels qu’ils les ont envoyés. Les petits nombres ont été masqués là où les chiffres ont été calculés, afin qu’aucun enfant ne puisse être reconnu. Chaque pays compte à sa manière : comparez avec prudence.
received-figures-none = Aucun autre pays n’a encore envoyé de chiffres.
received-figures-table = Chiffres reçus
received-figures-indicator = Indicateur
received-figures-origin = Envoyé par
received-figures-period = Période
received-figures-place = Code du lieu
received-figures-value = Chiffre
received-figures-received = Reçu le
received-figures-hidden = Masqué (trop peu nombreux pour être affiché)
received-figures-back = Retour aux indicateurs
received-figures-from-indicators = Consultez les chiffres publics que d’autres pays partagent avec le vôtre.
received-figures-open = Ouvrir les chiffres des autres pays
