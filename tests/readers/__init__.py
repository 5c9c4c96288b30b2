"""Word and PDF readers on real files built here: what counts as the document's text, and where it stands."""
