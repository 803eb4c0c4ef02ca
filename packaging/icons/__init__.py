"""The application icon: diary.svg and the PNG, ICO and ICNS files rendered from it.

The build maps this folder into the package as `diary.resources.icons` (pyproject.toml,
setup.py): the window and the tray read the PNGs from there with `importlib.resources`.
"""
