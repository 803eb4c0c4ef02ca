"""What the package carries: translations and icons reachable through importlib.resources,
compiled catalogues that match their sources, one version everywhere."""

from __future__ import annotations

import gettext
import io
import tomllib
from importlib.resources import files
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from diary.about import VERSION
from diary.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_diary_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out == f"diary {VERSION}\n"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == VERSION


@pytest.mark.parametrize("po", sorted(ROOT.glob("resources/translations/*/LC_MESSAGES/*.po")))
def test_each_compiled_catalogue_matches_its_source(po: Path) -> None:
    """The .mo files are kept in git (a clean clone runs translated): they must say what the
    .po says (`make translations` or `pybabel compile` after editing one)."""
    with po.open("rb") as source:
        catalogue = read_po(source)
    expected = io.BytesIO()
    write_mo(expected, catalogue)
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run make translations"
    compiled = gettext.GNUTranslations(io.BytesIO(mo.read_bytes()))
    wanted = gettext.GNUTranslations(io.BytesIO(expected.getvalue()))
    assert compiled._catalog == wanted._catalog, f"{mo} is stale: run make translations"  # type: ignore[attr-defined]


def test_translations_are_read_from_the_package() -> None:
    folder = files("diary.resources") / "translations"
    assert (folder / "de" / "LC_MESSAGES" / "diary.mo").is_file()
    german = gettext.translation("diary", str(folder), languages=["de"])
    assert german.gettext("Today") == "Heute"


def test_the_icon_comes_in_every_size_desktops_use() -> None:
    from PySide6.QtGui import QImage

    from diary.ui.app_icon import SIZES, icon_files

    found = icon_files()
    assert sorted(found) == sorted(SIZES)
    for size, path in found.items():
        image = QImage(str(path))
        assert (image.width(), image.height()) == (size, size), path
        assert image.hasAlphaChannel()
    icons = files("diary.resources.icons")
    assert (icons / "diary.svg").is_file()
    assert (ROOT / "packaging" / "icons" / "diary.ico").is_file()  # the Windows bundle's
    assert (ROOT / "packaging" / "icons" / "diary.icns").is_file()  # the macOS bundle's
