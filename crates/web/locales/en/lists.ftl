# Hash lists, their entries and imports, the match tester and the URL list.

lists-title = Hash lists
lists-intro = Lists of hashes of confirmed material. Images are hashed on upload and never kept.
lists-none = No lists yet.
lists-list = List
lists-description = Description
lists-enabled-entries = Enabled entries
lists-enabled-of = { $count } of { $total }
lists-created = Created
lists-new-title = New list
lists-name = Name
lists-create = Create the list
lists-entries-enabled = { $count } of { $total } entries enabled.
lists-added = { $count ->
    [one] { $count } added to the list.
   *[other] { $count } added to the list.
}
lists-no-entries = No entries yet.
lists-hash = Hash
lists-category = Category
lists-source = Source
lists-added-column = Added
lists-added-by = { $who } ({ $when })
lists-state = State
lists-change = Change
lists-entry-enabled = enabled
lists-entry-disabled = disabled
lists-enable = Enable
lists-disable = Disable
lists-next = Next entries
lists-add-hash-title = Add a hash
lists-hash-label = PDQ hash (64 hexadecimal digits), MD5 (32) or sha256: followed by 64
lists-add = Add
lists-add-image-title = Add an image
lists-image-never-kept = The image is hashed and then discarded; it is never stored.
lists-image-file = Image file
lists-hash-and-add = Hash and add
lists-import-title = Import a file of hashes
lists-import-source = Where the file came from
lists-import-hashes = One hash a line (or the CSV that the haven hash command writes)
lists-import = Import
lists-imports-title = Imports
lists-no-imports = No imports yet.
lists-import-line = { $name }: { $count ->
    [one] { $count } entry
   *[other] { $count } entries
} by { $who } on { $when }
lists-match-intro = Check a hash or an image against every enabled entry (distance up to { $n }). Images are hashed and discarded.
lists-match-hash = PDQ hash (64 hexadecimal digits)
lists-match-image = or an image file
lists-match = Match
lists-match-results = Results
lists-match-query = PDQ hash searched:
lists-no-match = No match.
lists-entry = Entry
lists-distance = Distance
lists-urls-version = Version { $n }.
lists-urls-intro = Internet providers download the whole list, or only the changes since their version:
lists-urls-none = No addresses on the list.
lists-urls-address = Address
lists-urls-covers = Covers
lists-urls-version-column = Version
lists-urls-remove = Remove (taken down)
lists-urls-add-title = Add an address
lists-urls-add = Add to the list
lists-error-name = Give the list a name.
lists-error-name-taken = A list with this name already exists. Choose another name.
lists-error-long = Keep this under 100 characters.
lists-error-description = Keep the description under 1,000 characters.
lists-error-hash-missing = Give the hash to add.
lists-error-hash = This is not a hash Haven can use: give a PDQ hash (64 hexadecimal digits), an MD5 (32) or sha256: followed by 64. A PDQ hash of an image with too little detail cannot be listed.
lists-error-import-source = Say where the file came from.
lists-error-hashes-missing = Paste at least one hash, one a line.
lists-error-hashes = Some lines are not hashes Haven can read. Each line needs a PDQ hash (64 hexadecimal digits), an MD5 (32) or sha256: followed by 64.
lists-error-hashes-many = There are too many hashes for one import. Split the file and import it in parts.
lists-error-image = Choose an image file.
lists-error-image-large = This image is too large. Choose a smaller file.
lists-error-image-unusable = This file cannot be used: it is not an image Haven can read, or it has too little detail to match.
lists-error-pdq = A PDQ hash is 64 hexadecimal digits (0–9 and a–f).
lists-error-match-missing = Give a hash or choose an image.
lists-error-match-detail = This has too little detail to match reliably. Try another image or hash.
lists-error-level = Choose how much of the web the entry covers.
lists-error-url-missing = Give the web address to add.
lists-error-url = Give a full web address, starting with http:// or https://, or a domain name.
lists-error-url-listed = This address is already on the list at this level.
lists-import-check-title = Check the import
lists-import-summary = { $count ->
    [one] 1 line can be imported
   *[other] { $count } lines can be imported
}; { $n ->
    [0] every line can be read.
    [one] 1 line cannot.
   *[other] { $n } lines cannot.
}
lists-import-failed-title = Lines that cannot be imported
lists-import-line-number = Line
lists-import-line-text = As written
lists-import-reason = Why
lists-import-reason-not-a-hash = Not a hash Haven can read: a PDQ hash is 64 hexadecimal digits, an MD5 32, and a SHA-256 is written sha256: followed by 64.
lists-import-reason-detail = The image behind this hash has too little detail to match (a blank or flat picture would match every other one).
lists-import-reason-quality = The quality after the comma must be a number from 0 to 100.
lists-import-confirm = { $count ->
    [one] Import the line that can be read
   *[other] Import the { $count } lines that can be read
}
lists-import-nothing = No line of this file can be imported. Nothing was added.
lists-import-cancel = Back to the list without importing
lists-match-flips = Rotated and mirrored copies of an image are found too.
lists-not-given = not given
