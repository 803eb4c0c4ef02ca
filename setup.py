"""setuptools reads the project from pyproject.toml; this adds the one thing a table cannot say.

The packages are those found under diary/ plus the data folders the build maps into the
package (pyproject.toml's [tool.setuptools.package-dir]): resources/ as diary.resources and
packaging/icons/ as diary.resources.icons. `find` alone would not see them, and a fixed list
would miss the next package someone adds under diary/.
"""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["diary", "diary.*"]),
        "diary.resources",
        "diary.resources.icons",
    ]
)
