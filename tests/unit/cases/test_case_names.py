"""A child typed with or without diacritics, in capitals or not, composed or decomposed, is found
as one child by the duplicate search: "Nguyễn Thị Hoà" is "nguyen thi hoa", "Đinh" is "Dinh"."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from intranet.cases.names import match_key, normalise_name

#: Each Vietnamese vowel with its five tones (huyền, sắc, hỏi, ngã, nặng), written out composed.
TONED_VOWELS = {
    "a": "àáảãạ",
    "ă": "ằắẳẵặ",
    "â": "ầấẩẫậ",
    "e": "èéẻẽẹ",
    "ê": "ềếểễệ",
    "i": "ìíỉĩị",
    "o": "òóỏõọ",
    "ô": "ồốổỗộ",
    "ơ": "ờớởỡợ",
    "u": "ùúủũụ",
    "ư": "ừứửữự",
    "y": "ỳýỷỹỵ",
}
PLAIN = {
    "a": "a",
    "ă": "a",
    "â": "a",
    "e": "e",
    "ê": "e",
    "i": "i",
    "o": "o",
    "ô": "o",
    "ơ": "o",
    "u": "u",
    "ư": "u",
    "y": "y",
}
CASES = [(vowel, toned) for vowel, tones in TONED_VOWELS.items() for toned in (vowel, *tones)]


def test_the_table_holds_every_vowel_with_every_tone():
    assert len(TONED_VOWELS) == 12 and all(len(tones) == 5 for tones in TONED_VOWELS.values())
    assert len(CASES) == 12 * 6
    for _, letter in CASES:
        assert len(letter) == 1 and unicodedata.normalize("NFC", letter) == letter


@pytest.mark.parametrize("vowel, letter", CASES)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_every_vowel_with_every_tone_folds_to_its_plain_letter(vowel, letter, form):
    for written in (letter, letter.upper()):
        text = unicodedata.normalize(form, f"x{written}n")
        assert normalise_name(text) == f"x{PLAIN[vowel]}n"


@pytest.mark.parametrize("letter", ["đ", "Đ", "Ð"])
def test_d_with_stroke_is_d(letter):
    assert normalise_name(f"{letter}inh") == "dinh"
    assert normalise_name(f"{letter}inh") == normalise_name("Dinh")


@pytest.mark.parametrize(
    "written",
    [
        "Nguyễn Thị Hoà",  # the tone on the o (old style)
        "Nguyễn Thị Hòa",  # the tone on the a (current style)
        "NGUYỄN THỊ HOÀ",
        "NGUYỄN THỊ HÒA",
        "nguyen thi hoa",
        "Nguyen Thi Hoa",
        "  Nguyễn   Thị\tHoà  ",
        "Nguyễn-Thị Hoà.",
        "Nguyễn Thị\u200b Hoà",  # a zero-width space pasted from a web page
    ],
)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_the_ways_of_writing_one_name_match(written, form):
    assert normalise_name(unicodedata.normalize(form, written)) == "nguyen thi hoa"


def test_composed_and_decomposed_input_are_really_different_text():
    composed = unicodedata.normalize("NFC", "Nguyễn Thị Hoà")
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hoà")
    assert composed != decomposed
    assert normalise_name(composed) == normalise_name(decomposed)


@pytest.mark.parametrize(
    "written, folded",
    [
        ("Đinh Văn Đức", "dinh van duc"),
        ("H'Hen Niê", "h hen nie"),
        ("Y Nhi", "y nhi"),
        ("A Thiên", "a thien"),
        ("Rơ Mah Ŭ", "ro mah u"),  # the breves of the Ba Na alphabet
        ("Ngu\u00adyễn", "nguyen"),  # a soft hyphen left by a word processor
        ("Ｎｇｕｙễｎ", "nguyen"),  # full-width letters
        ("Trần  Văn  Bảy (con)", "tran van bay con"),
        ("", ""),
        (" -.- ", ""),
    ],
)
def test_names_fold_as_a_reader_would_expect(written, folded):
    assert normalise_name(written) == folded


@pytest.mark.parametrize("other", ["Nguyễn Thị Hoa Mai", "Nguyễn Thị Hoan", "Nguyễn Hoà", "Nguyễn Thị Hải"])
def test_different_names_stay_different(other):
    assert normalise_name(other) != normalise_name("Nguyễn Thị Hoà")


def test_the_match_key_joins_the_folded_name_and_the_iso_birth_date():
    born = dt.date(2010, 3, 15)
    assert match_key("Nguyễn Thị Hoà", born) == "nguyen thi hoa|2010-03-15"
    assert match_key("NGUYEN THI HOA", born) == match_key(unicodedata.normalize("NFD", "Nguyễn Thị Hòa"), born)
    assert match_key("Đinh Văn A", born) == match_key("Dinh Van A", born)
    assert match_key("Nguyễn Thị Hoà", dt.date(2010, 3, 16)) != match_key("Nguyễn Thị Hoà", born)


def test_the_match_key_refuses_what_would_match_the_wrong_children():
    with pytest.raises(ValueError):
        match_key(" - ", dt.date(2010, 3, 15))
    with pytest.raises(TypeError):
        match_key("Nguyễn Thị Hoà", dt.datetime(2010, 3, 15, 8, 0))
    with pytest.raises(TypeError):
        match_key("Nguyễn Thị Hoà", "15/03/2010")
