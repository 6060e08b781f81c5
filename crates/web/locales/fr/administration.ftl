# La page de l'administrateur pour l'instrument d'évaluation.

instrument-title = Instrument d'évaluation, version { $n }
instrument-text = Modifiez les poids, les descriptions, les seuils ou les facteurs, puis enregistrez : cela crée la version { $count }. Les évaluations déjà faites gardent la version qu'elles ont utilisée.
instrument-json = Instrument (JSON)
instrument-save = Enregistrer comme nouvelle version
instrument-saved = Enregistré comme nouvelle version.
instrument-error = L'instrument ne peut pas être utilisé. Ce qu'il faut corriger :
