"""`python -m rundbrief`: the same as the `rundbrief` command."""

from rundbrief.cli.main import main

main()
