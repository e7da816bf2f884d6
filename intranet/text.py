"""One spelling of Vietnamese tone marks everywhere (GLOSSARY: spelling).

Vietnamese writes the tone of the rhymes "oa", "oe" and "uy" in two styles: the old one puts the
mark on the first vowel (hoá, khoẻ, thuỷ, ma tuý, Uỷ ban), the one of current official documents
puts it on the main vowel (hóa, khỏe, thủy, ma túy, Ủy ban). The intranet writes the second style
on every page and in every export, and text that comes from elsewhere (the plan, an imported
criteria set) is brought to it with ``normalise_tones``.

Only a syllable that ends with the rhyme changes: in "hoàn", "khoáng" or "tuyến" the mark is
already on the main vowel. After "q" the "u" belongs to the consonant, so "quý", "quỳ" and "quỹ"
keep their mark on the "y".
"""

from __future__ import annotations

import re
import unicodedata

#: Old-style pair -> new-style pair, lower case (upper and title case are derived below).
_OLD_TO_NEW = {
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}


def _cases(table: dict[str, str]) -> dict[str, str]:
    out = {}
    for old, new in table.items():
        out[old] = new
        out[old.upper()] = new.upper()
        out[old[0].upper() + old[1]] = new[0].upper() + new[1]
        out[old[0] + old[1].upper()] = new[0] + new[1].upper()
    return out


OLD_TO_NEW = _cases(_OLD_TO_NEW)

#: An old-style pair at the end of a syllable: not after "q" (quý), not followed by a letter
#: (hoàn, tuyến). A letter is a word character that is neither a digit nor "_".
OLD_STYLE = re.compile("(?<![qQ])(" + "|".join(sorted(OLD_TO_NEW, key=len, reverse=True)) + r")(?![^\W\d_])")


def normalise_tones(text: str) -> str:
    """``text`` in Unicode NFC with the tone of "oa", "oe" and "uy" on the main vowel:
    "Uỷ ban", "hoá", "khoẻ", "ma tuý" become "Ủy ban", "hóa", "khỏe", "ma túy"."""
    if not text:
        return text
    text = unicodedata.normalize("NFC", text)
    return OLD_STYLE.sub(lambda m: OLD_TO_NEW[m.group(1)], text)


def old_style_spellings(text: str) -> list[str]:
    """The old-style pairs ``text`` holds (after NFC), e.g. ``["oá"]`` for "hoá đơn"."""
    return [m.group(1) for m in OLD_STYLE.finditer(unicodedata.normalize("NFC", text or ""))]
