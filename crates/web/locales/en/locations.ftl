# Places: the country, its regions and districts.

locations-title = Places
locations-intro = Every child, case and person's area belongs to one of these places. A district is inside a region, a region inside the country.
locations-none = No places yet. Start with the country.
locations-table = The country, its regions and their districts
locations-name = Name
locations-level = Kind of place
locations-code = Code
locations-code-hint = A short code that never changes, such as SL-N-01: letters, digits, dashes.
locations-parent = Inside
locations-parent-option = { $name } ({ $level })
locations-add = Add a place
locations-add-button = Add the place
locations-added = The place was added.
locations-error-name = Write the place's name.
locations-error-code = Write a code of up to 32 letters, digits, dashes or underscores.
locations-error-code-taken = Another place already has this code. Choose a different one.
locations-error-parent = Choose the place this one is inside.
locations-error-parent-district = A district cannot hold other places. Choose a region or the country.
