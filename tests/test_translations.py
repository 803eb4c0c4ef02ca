"""The catalogues: French as complete as German, every translation keeping the message's
{fields} (a missing one would raise KeyError in .format), plural forms where counted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from diary.i18n import translation_for

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "resources" / "translations"
FIELD = re.compile(r"\{[a-z_]+\}")


def catalogue(language: str):  # type: ignore[no-untyped-def]
    with (FOLDER / language / "LC_MESSAGES" / "diary.po").open("rb") as source:
        return read_po(source)


def translated(language: str) -> dict[object, object]:
    found = {}
    for message in catalogue(language):
        if not message.id or message.fuzzy:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(strings):
            key = tuple(message.id) if isinstance(message.id, list | tuple) else message.id
            found[key] = message.string
    return found


def test_french_is_as_complete_as_german() -> None:
    german, french = translated("de"), translated("fr")
    assert sorted(map(str, set(german) - set(french))) == []


@pytest.mark.parametrize("language", ["de", "fr"])
def test_every_translation_keeps_the_fields_of_its_message(language: str) -> None:
    for key, string in translated(language).items():
        source = key[1] if isinstance(key, tuple) else key
        assert isinstance(source, str)
        forms = string if isinstance(string, tuple) else (string,)
        for form in forms:
            assert set(FIELD.findall(str(form))) == set(FIELD.findall(source)), (key, form)


def test_counts_take_the_plural_form_of_the_language() -> None:
    french = translation_for("fr_FR")
    said = [
        french.ngettext("{count} open conflict", "{count} open conflicts", n).format(count=n)
        for n in (0, 1, 2)
    ]
    assert said == ["0 conflit ouvert", "1 conflit ouvert", "2 conflits ouverts"]
    at_risk = [french.ngettext("{count} at risk", "{count} at risk", n) for n in (1, 2)]
    assert at_risk == ["{count} menacé", "{count} menacés"]
    more = [french.ngettext("+{count} more", "+{count} more", n) for n in (1, 2)]
    assert more == ["+{count} autre", "+{count} autres"]
    german = translation_for("de_DE")
    assert german.ngettext("{count} promise", "{count} promises", 0) == "{count} Zusagen"
    assert german.ngettext("+{count} more", "+{count} more", 1) == "+{count} weiterer"
    assert german.ngettext("{count} promise", "{count} promises", 1) == "{count} Zusage"
