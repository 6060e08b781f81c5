# The hotline: reported material, its assessment and the actions taken,
# the published figures, and the desk of analysts and monitoring officers.

hotline-title = Hotline
hotline-none = —
hotline-percent = { $n }%
hotline-hours = { $n } h
hotline-published-figures = Published figures
hotline-figures-received = reports received
hotline-figures-illegal = assessed illegal ({ $count } of { $total } assessed)
hotline-figures-median = median time from report to removal
hotline-figures-p90 = time to removal for 9 in 10 items (90th percentile)
hotline-figures-within-3-days = removed within 3 days
hotline-desk-waiting = Waiting
hotline-desk-figures = Hotline figures
hotline-desk-to-triage = { $count ->
    [one] report to triage
   *[other] reports to triage
}
hotline-desk-danger = with a child in danger now
hotline-desk-late = { $count ->
    [one] report late
   *[other] reports late
}
hotline-desk-to-assess = { $count ->
    [one] item to assess
   *[other] items to assess
}
hotline-reported-material = Reported material
hotline-do-not-open = Do not open these addresses outside the secure workstation.
hotline-no-items = No reported material yet.
hotline-address = Address
hotline-state = State
hotline-reported = Reported
hotline-hosted-in = Hosted in
hotline-add-label = Add an address found another way (for example, from a partner)
hotline-add = Add the item
hotline-state-to-assess = to assess
hotline-state-second-opinion = needs a second opinion
hotline-state-not-illegal = not illegal
hotline-state-send-notice = illegal: send notice
hotline-state-waiting-removal = illegal: waiting for removal
hotline-state-removed = removed
hotline-sex-both = Both
hotline-item-title = Hotline item
hotline-item-reveal = Show the image (it stays blurred and grey until you choose)
hotline-item-image-alt = The image just hashed
hotline-item-assessment = Assessment
hotline-item-not-yet = not yet
hotline-item-by = by { $who } on { $when }
hotline-item-who-when = { $who } on { $when }
hotline-item-second-analyst = Second analyst
hotline-item-category = Category
hotline-item-category-hint = As national law names it. Needed when the material is illegal.
hotline-item-depicted = Children depicted
hotline-item-hosting = Hosting
hotline-item-notice = Notice sent
hotline-item-police = Law enforcement
hotline-item-forwarded = Forwarded
hotline-item-listed = On the URL list
hotline-item-listed-no-longer = No longer (the removal is published)
hotline-item-removed = Removed
hotline-item-assess-title = Assess
hotline-item-assessment-label = Under national law the material is
hotline-item-age-label = Apparent age of the children
hotline-item-sex-label = Apparent sex
hotline-item-country-label = Hosting country (two letters, for example NL)
hotline-item-provider-label = Hosting provider
hotline-item-assess-button = Record the assessment
hotline-item-confirm-text = A second analyst may confirm this assessment.
hotline-item-confirm-button = Confirm the assessment
hotline-item-notice-button = Notice-and-takedown sent to the host
hotline-item-police-button = Referred to law enforcement
hotline-item-forward-label = Hotline of the hosting country
hotline-item-forward-button = Forwarded abroad
hotline-item-removed-text = Checked: the material is gone. This records the takedown time and takes the address off the URL list.
hotline-item-removed-button = Material removed
hotline-item-hash-title = Hash a confirmed image onto a list
hotline-item-hash-text = The image is hashed and discarded; it is never stored.
hotline-item-list-label = List
hotline-item-image-label = Image file
hotline-item-hash-button = Hash and list
hotline-item-from-report = The report it came from
hotline-done-assessed = Assessment recorded.
hotline-done-confirmed = Assessment confirmed.
hotline-done-recorded = Recorded.
hotline-done-hashed = The image was hashed onto the list and discarded.
hotline-error-url-missing = Give the web address of the material.
hotline-error-url = Give a full web address, starting with http:// or https://.
hotline-error-assessment = Choose what the material is under national law.
hotline-error-category = Give the category of the material under national law.
hotline-error-category-long = Keep the category under 60 characters.
hotline-error-age-band = Choose the apparent age from the list.
hotline-error-sex = Choose the apparent sex from the list.
hotline-error-country = Give the hosting country as two letters, for example NL.
hotline-error-provider = Keep the hosting provider under 120 characters.
hotline-error-forwarded = Name the hotline, and its country, that the report was forwarded to.
hotline-error-list = Choose the list to add the image to.
hotline-error-image = Choose an image file.
hotline-error-image-large = This image is too large. Choose a smaller file.
hotline-error-image-unusable = This file cannot be used: it is not an image Haven can read, or it has too little detail to match.
