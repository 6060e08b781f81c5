## Cadres logiques (pages/logframes.rs, api/logframes.rs) : chaînes de résultats mesurées par les indicateurs.

logframes-error-title = Donnez un titre au cadre logique.
logframes-error-title-long = Le titre ne doit pas dépasser 200 caractères.
logframes-error-level = Choisissez un niveau : impact, effet, produit ou activité.
logframes-error-no-parent = Un impact n’a pas de résultat au-dessus de lui : laissez « rattaché à » vide.
logframes-error-parent = Choisissez le résultat auquel celui-ci est rattaché.
logframes-error-parent-level = Choisissez un résultat de ce cadre logique d’un niveau au-dessus (un effet se rattache à l’impact, un produit à un effet, une activité à un produit).
logframes-error-statement = Décrivez le résultat en quelques mots.
logframes-error-long = Ce texte ne doit pas dépasser 2 000 caractères.
logframes-error-indicator = Choisissez un indicateur dans la liste.
logframes-error-linked = Cet indicateur est déjà lié à ce résultat.
logframes-error-value = Saisissez un nombre, par exemple 12 ou 12,5.
logframes-error-date = Saisissez la date sous la forme année-mois-jour, par exemple 2026-12-31.
