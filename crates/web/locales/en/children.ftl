# The children's pages: the list with its search, the registration and
# edit form, and a child's page.

children-title = Children
children-search-label = Search children
children-name = Name
children-name-example = e.g. Amina Diallo
children-place = Place
children-any-place = Any place
children-sex = Sex
children-age = Age
children-any = Any
children-any-age = Any age
children-birth-registration = Birth registration
children-search = Search
children-none = No children match.
children-next-page = Next page
children-col-name = Name
children-col-sex = Sex
children-col-age = Age
children-col-district = District
children-col-birth-registration = Birth registration
children-age-band = { $first } to { $last } years
child-age-about = about { $n }
children-error-search-name = Search with at most 100 characters.
children-error-filter = Choose one of the options offered.

child-register-title = Register a child
child-edit-title = Edit the record of { $name }
child-fieldset-child = The child
child-given-name = Given name
child-family-name = Family name
child-family-name-hint = Leave empty if it is not known.
child-sex = Sex
child-birth-legend = Date of birth or age
child-birth-hint = Give the date of birth if it is known; otherwise an estimated age in years.
child-date-of-birth = Date of birth
child-estimated-age = Estimated age in years
child-district = District
child-birth-registration = Birth registration
child-living-situation = Living situation
child-minority-group = Minority or indigenous group (if any)
child-in-school = Goes to school
child-disability = Has a disability
child-child-labour = In child labour or domestic work
child-household-legend = Household and main caregiver (optional)
child-address = Address or directions
child-caregiver-given-name = Caregiver's given name
child-caregiver-family-name = Caregiver's family name
child-caregiver-relationship = Relationship to the child
child-caregiver-relationship-hint = For example mother, aunt, grandfather.
child-caregiver-contact = Caregiver's phone or contact
child-save = Save
child-save-register = Register the child

child-error-given-name = Give the child's given name.
child-error-too-long = Write at most 100 characters.
child-error-address-too-long = Write at most 500 characters.
child-error-contact-too-long = Write at most 200 characters.
child-error-characters = Remove the invisible or control characters from this text.
child-error-sex = Choose the child's sex, or "Not known".
child-error-dob-or-age = Give a date of birth or an estimated age.
child-error-dob-and-age = Give either a date of birth or an estimated age, not both.
child-error-dob-format = Write the date of birth as a full date, for example 2015-04-30.
child-error-dob-future = The date of birth cannot be in the future.
child-error-dob-adult = This date of birth makes the person 18 or older; Haven registers children aged 0 to 17.
child-error-age-number = Write the age as a whole number of years, for example 7.
child-error-age-range = Give an age between 0 and 17 years.
child-error-district = Choose a district in your area.
child-error-choose = Choose one of the options offered.
child-error-caregiver-name = Give the caregiver's given name, or leave the caregiver's details empty.
child-error-relationship = Say how the caregiver is related to the child.
child-error-household = This household is not in your area.

child-registered = The child has been registered.
child-saved = The record has been saved.
child-edit-link = Edit this record
child-record-number = Record number
child-age-value = { $count ->
    [one] { $count } year
   *[other] { $count } years
}
child-born = born { $when }
child-born-estimated = estimated; born around { $when }
child-household = Household
child-caregiver = { $name } ({ $who })

duplicates-title = Possible duplicate records
duplicates-text = These records may be the same child. Nothing has been merged: check with the family or colleagues before acting.
duplicate-item = { $count ->
    [one] { $count } year
   *[other] { $count } years
}, { $place }
duplicate-same-name = same name
duplicate-same-name-transliterated = same name when transliterated
duplicate-similar-name = similar name ({ $score }% alike)
duplicate-same-birth = same date of birth
duplicate-birth-days-apart = { $days ->
    [one] dates of birth { $days } day apart
   *[other] dates of birth { $days } days apart
}
duplicate-estimate-range = ages within the range of an estimate
duplicate-same-district = same district
duplicate-neighbour-district = neighbouring district in the same region
