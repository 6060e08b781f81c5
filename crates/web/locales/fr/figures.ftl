## Public figures (pages/figures.rs): the indicators an administrator marks public.

figures-title = Chiffres sur la protection de l’enfance
figures-intro = Ces chiffres portent sur l’ensemble du pays. Ils sont calculés à partir des dossiers pour l’année { $year }, la dernière année complète, et pour les années précédentes.
figures-in-year = En { $year } :
figures-none = Aucun chiffre n’est encore publié.
figures-unavailable = Les chiffres ne peuvent pas être affichés pour le moment. Veuillez réessayer plus tard.
figures-report-link = Signaler une inquiétude au sujet d’un enfant
figures-link = Consulter les chiffres publiés sur la protection de l’enfance
figures-admin-title = Chiffres publics
figures-admin-intro = Choisissez les indicateurs que chacun peut consulter, sans se connecter, pour l’ensemble du pays. Les petits nombres y sont toujours masqués.
figures-admin-open = Ouvrir la page des chiffres publics
figures-admin-saved = Votre choix est enregistré.
figures-admin-table = Indicateurs et visibilité pour le public
figures-admin-col-shown = Visible par le public
figures-admin-col-change = Modifier
figures-admin-public = Oui, visible
figures-admin-private = Non, masqué
figures-admin-show = Rendre visible au public
figures-admin-hide = Ne plus montrer au public
figures-error-indicator = Choisissez un indicateur dans la liste.
figures-error-public = Indiquez si l’indicateur doit être visible ou non.
