# L’annuaire des services et le formulaire pour ajouter un service.

services-title = Annuaire des services
services-none = Aucun service pour l’instant.
services-service = Service
services-name = Nom
services-provider = Prestataire
services-sector = Secteur
services-layers = Niveaux de prévention
services-covers = Zone couverte
services-answers = Répond à
services-contact = Contact
services-add-title = Ajouter un service
services-agency = Organisme
services-agency-hint = Les utilisateurs de ce service répondent aux orientations vers lui.
services-coverage = Zone couverte
services-factors = Facteurs de risque auxquels il répond
services-factors-hint = Maintenez Ctrl (ou Cmd sur un Mac) pour en choisir plusieurs.
services-add = Ajouter le service
services-error-name = Indiquez le nom du service.
services-error-provider = Indiquez le nom de l’organisme qui assure le service.
services-error-long = Ne dépassez pas 100 caractères.
services-error-agency = Choisissez un organisme enregistré. Un administrateur ajoute les organismes sur la page Organismes.
services-error-sector = Choisissez le secteur du service.
services-error-layers = Cochez au moins un niveau de prévention.
services-error-coverage = Choisissez la zone couverte par le service.
services-error-contact = Le contact ne doit pas dépasser 200 caractères.
services-error-factors = Choisissez les facteurs de risque dans la liste.
