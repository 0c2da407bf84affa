"""Rundbrief: newsletter issues and project profiles as a static website.

`rundbrief.core` holds the content model, parsing and validation and imports nothing of MkDocs;
`rundbrief.adapter` holds the thin MkDocs plugins on top of it.
"""
