"""babel formats in the zone diary hands it, whether or not pytz is installed (vobject, a test
tool, brings it; an installed diary has none)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_babel_formats_in_the_zone_given_and_pytz_stays_importable() -> None:
    # A fresh interpreter: which time-zone library babel settles on is decided at its import.
    script = textwrap.dedent(
        """
        import importlib.util
        from datetime import datetime
        from zoneinfo import ZoneInfo

        from diary.i18n import Formatter

        f = Formatter("de_DE", "Europe/Berlin")  # babel loads here, on first use
        # 13:40 UTC on a summer day is 15:40 in Berlin; in winter 14:40.
        assert f.time(datetime(2026, 7, 1, 13, 40, tzinfo=ZoneInfo("UTC"))) == "15:40"
        assert f.time(datetime(2026, 12, 1, 13, 40, tzinfo=ZoneInfo("UTC"))) == "14:40"
        if importlib.util.find_spec("pytz") is not None:
            import pytz  # whoever else wants it still gets it

            assert pytz.timezone("Europe/Berlin").zone == "Europe/Berlin"
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
