"""`python -m revenge` runs the command line."""

from revenge.cli.main import main

main()
