"""The Linux desktop entry and AppStream metainfo: valid by the freedesktop tools, and saying
what the package really has (command, icon, version, screenshots)."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from diary.about import APP_ID, VERSION

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"


def _tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: .ci/run installs the Debian package {package}")
        pytest.skip(f"{name} is not installed (apt-get install {package})")
    return found


def test_the_desktop_entry_is_valid() -> None:
    tool = _tool("desktop-file-validate", "desktop-file-utils")
    run = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True, check=False)
    assert run.returncode == 0 and run.stdout.strip() == "", run.stdout + run.stderr


def test_the_metainfo_is_valid() -> None:
    tool = _tool("appstreamcli", "appstream")
    # --no-net: the screenshot and homepage URLs are not fetched (CI has no web access).
    run = subprocess.run(
        [tool, "validate", "--no-net", "--explain", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    # Errors and warnings fail; infos (a tag newer than the installed AppStream) do not.
    assert not [line for line in run.stdout.splitlines() if line[:2] in ("E:", "W:")], run.stdout


def test_the_desktop_entry_starts_the_window_on_calendar_files() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    command, *arguments = desktop["Exec"].split()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert command in scripts["gui-scripts"]  # diary-gui: no terminal window on Windows
    assert arguments == ["%F"]  # the files opened with diary, offered for import
    assert "text/calendar" in desktop["MimeType"].split(";")
    assert desktop["Categories"].split(";")[:2] == ["Office", "Calendar"]
    icon = ROOT / "packaging" / "icons" / "hicolor" / "256x256" / "apps" / f"{desktop['Icon']}.png"
    assert icon.is_file()


def test_the_metainfo_names_this_release_and_real_screenshots() -> None:
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.find("launchable").text == DESKTOP.name  # type: ignore[union-attr]
    releases = [r.get("version") for r in component.iter("release")]
    assert releases[0] == VERSION  # the newest first
    shots = [Path(image.text or "").name for image in component.iter("image")]
    assert shots and all((ROOT / "resources" / "screenshots" / name).is_file() for name in shots)
