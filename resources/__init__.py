"""The data files diary reads at run time (translations, ...).

This folder stays at the top of the repository; the build maps it into the package as
`diary.resources` (pyproject.toml, setup.py), and the code reads it with
`importlib.resources`, so an installed wheel or a bundle carries it too.
"""
