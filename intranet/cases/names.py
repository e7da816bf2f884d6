"""Vietnamese names folded for the duplicate search of the child register.

One child is written many ways: "Nguyễn Thị Hòa", the same with the tone on the "o" of "oa" (the
old style that intranet.text describes), "NGUYỄN THỊ HÒA", "nguyen thi hoa" (typed without a
Vietnamese keyboard), composed (NFC) or decomposed (NFD) as keyboards and systems send it.
:func:`normalise_name` gives all of them one form, "nguyen thi hoa":

- every diacritic goes: the five tones (huyền, sắc, hỏi, ngã, nặng) and the marks of ă â ê ô ơ ư,
  on capitals too, and the breves of the Ba Na and Xơ Đăng alphabets (ĭ, ŏ, ŭ, ĕ);
- đ and Đ become d ("Đinh" matches "Dinh"). Unicode does not decompose đ, so it is mapped by hand,
  with the look-alike capitals Ð (U+00D0) and Ɖ (U+0189) that old fonts and converters produce;
- lower case; punctuation and symbols become spaces ("H'Hen" gives "h hen", "Nguyễn-Thị" gives
  "nguyen thi"); invisible format characters (soft hyphen, zero-width space) are dropped;
  runs of spaces become one, and the ends are trimmed;
- compatibility forms become plain ones (NFKD): full-width "Ｎｇｕｙễｎ" is "nguyen".

What is left are the letters and digits only: two names match when they differ in nothing a reader
would call spelling. The folded name is never shown; it feeds :func:`match_key`, and the key feeds
:meth:`intranet.cases.crypto.Keyring.blind_index`, so the database holds only its keyed hash.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

#: The letters with a stroke, which no Unicode normalisation takes apart.
_STROKED_D = str.maketrans({"đ": "d", "Đ": "d", "Ð": "d", "ð": "d", "Ɖ": "d", "ɖ": "d"})


def normalise_name(text: str) -> str:
    """``text`` without diacritics, in lower case, punctuation turned to spaces, spaces collapsed."""
    # Lower case first: casefold() itself may add a combining mark ("İ" gives "i" and a dot above).
    decomposed = unicodedata.normalize("NFKD", text.translate(_STROKED_D).casefold())
    kept = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category == "Mn" or category == "Cf":  # a diacritic, or an invisible format character
            continue
        kept.append(char if char.isalnum() else " ")
    return " ".join("".join(kept).split())


def match_key(full_name: str, date_of_birth: dt.date) -> str:
    """The folded name and the ISO birth date, e.g. ``"nguyen thi hoa|2010-03-15"``.

    Two register entries with equal keys are a likely duplicate. A name that folds to nothing, or
    a birth date that is a date and time, is refused: either would match children it should not.
    """
    if isinstance(date_of_birth, dt.datetime) or not isinstance(date_of_birth, dt.date):
        raise TypeError("match_key() takes the date of birth as a datetime.date.")
    name = normalise_name(full_name)
    if not name:
        raise ValueError("A name with no letter cannot be matched.")
    return f"{name}|{date_of_birth.isoformat()}"
