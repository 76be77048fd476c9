"""``python -m datapakke`` runs the command-line interface."""

from datapakke.cli import main

main()
