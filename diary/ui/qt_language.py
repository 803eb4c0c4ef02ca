"""Qt's own words (the OK and Cancel of a button box, a file dialog's labels, the context
menu of a text field) in the language diary speaks: Qt's catalogue for it, from the Qt
installation, swapped when the language changes."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

NAME = "diaryQtTranslator"


def use(locale: str) -> bool:
    """Speak `locale`'s language in Qt's own widgets; True when a catalogue was found (none
    is needed for English)."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    old = app.findChild(QTranslator, NAME)
    if old is not None:
        app.removeTranslator(old)
        old.deleteLater()
    if locale.split("_", 1)[0] == "en":
        return True
    translator = QTranslator(app)
    translator.setObjectName(NAME)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(locale), "qtbase", "_", folder):
        translator.deleteLater()
        return False
    app.installTranslator(translator)
    return True
