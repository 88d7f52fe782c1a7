"""The write routes' examples, one module per area (``records``, ``meetings``, ``documents``), and
the ``World`` they run in; ``tests/test_write_matrix.py`` runs every example against every rule."""
