"""``python -m cajd``: the same as the ``cajd`` command."""

from cajd.cli import main

main()
