# The services directory and the form to add a service.

services-title = Services directory
services-none = No services yet.
services-service = Service
services-name = Name
services-provider = Provider
services-sector = Sector
services-layers = Prevention layers
services-covers = Covers
services-answers = Answers
services-contact = Contact
services-add-title = Add a service
services-agency = Agency
services-agency-hint = The users of this agency answer the referrals to the service.
services-coverage = Area covered
services-factors = Risk factors it answers
services-factors-hint = Hold Ctrl (or Cmd on a Mac) to choose several.
services-add = Add the service
services-error-name = Give the name of the service.
services-error-provider = Give the name of the organisation that provides the service.
services-error-long = Keep this under 100 characters.
services-error-agency = Choose an agency on record. An administrator adds agencies on the Agencies page.
services-error-sector = Choose the sector of the service.
services-error-layers = Tick at least one prevention layer.
services-error-coverage = Choose the area the service covers.
services-error-contact = Keep the contact under 200 characters.
services-error-factors = Choose the risk factors from the list.
