"""MkDocs plugins: thin adapters from the core to MkDocs and Material for MkDocs."""
