"""The editors' command `rundbrief`."""
