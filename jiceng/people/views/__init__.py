"""People pages: residents and households, units, key-population tags, workers,
and the panels people add to a place's page. One module per subject."""
