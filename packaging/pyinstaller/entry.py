"""The bundle's entry point: run as `diary` it is the command line, as `diary-gui` the window.

Both executables of the one-folder bundle run this script (diary.spec); the name they were
started by says which, as the two console scripts of the wheel do.
"""

import sys
from pathlib import Path

from diary.__main__ import gui_main, main

if Path(sys.executable).stem.lower() == "diary-gui":
    gui_main()
else:
    main()
