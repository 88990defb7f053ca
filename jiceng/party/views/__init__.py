"""Party pages: the organisation tree, members, 双向核查, and the panel party adds
to a place's page. One module per subject."""
