# Lieux : le pays, ses régions et ses districts.

locations-title = Lieux
locations-intro = Chaque enfant, chaque dossier et la zone de chaque personne se rattachent à l'un de ces lieux. Un district se trouve dans une région, une région dans le pays.
locations-none = Aucun lieu pour l'instant. Commencez par le pays.
locations-table = Le pays, ses régions et leurs districts
locations-name = Nom
locations-level = Type de lieu
locations-code = Code
locations-code-hint = Un code court qui ne change jamais, par exemple SL-N-01 : lettres, chiffres, tirets.
locations-parent = Situé dans
locations-parent-option = { $name } ({ $level })
locations-add = Ajouter un lieu
locations-add-button = Ajouter le lieu
locations-added = Le lieu a été ajouté.
locations-error-name = Indiquez le nom du lieu.
locations-error-code = Indiquez un code de 32 caractères au plus : lettres, chiffres, tirets ou tirets bas.
locations-error-code-taken = Un autre lieu a déjà ce code. Choisissez-en un autre.
locations-error-parent = Choisissez le lieu dans lequel celui-ci se trouve.
locations-error-parent-district = Un district ne peut pas contenir d'autres lieux. Choisissez une région ou le pays.
