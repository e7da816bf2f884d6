"""The comment of a workflow step (intranet/workflow/forms.py): kept whole up to the limit,
refused above it with a message naming the limit, never cut."""

from __future__ import annotations

from pathlib import Path

from pyramid.i18n import make_localizer
from webob.multidict import MultiDict

import intranet
from intranet.i18n import _
from intranet.workflow.forms import MAX_COMMENT, CommentForm, comment_field

VI = make_localizer("vi", [str(Path(intranet.__file__).parent / "locale")])


def read(form_class=CommentForm, **data) -> CommentForm:
    form = form_class(MultiDict(data))
    form.validate()
    return form


def test_the_limit_is_four_thousand_characters():
    assert MAX_COMMENT == 4000


def test_a_comment_of_exactly_the_limit_is_kept_whole():
    text = "ý" * (MAX_COMMENT - 1) + "Z"
    form = read(comment=text)
    assert form.refusal(VI) is None
    assert form.text == text and len(form.text) == MAX_COMMENT and form.text.endswith("Z")


def test_one_character_over_the_limit_is_refused_with_the_limit_and_not_cut():
    text = "x" * (MAX_COMMENT + 1)
    form = read(comment=text)
    assert not form.validate()
    message = form.refusal(VI)
    assert message is not None
    assert "4.000" in message and "4.001" in message  # the limit and what was sent, as Vietnamese write numbers
    assert form.comment.value == text  # what was typed is still there, whole


def test_a_line_break_counts_as_one_character_as_in_the_browser():
    # A browser counts a line break as one character for maxlength and sends it as CR LF.
    text = "a" * 1999 + "\r\n" + "b" * 2000
    form = read(comment=text)
    assert form.refusal(VI) is None
    assert form.text == "a" * 1999 + "\n" + "b" * 2000


def test_spaces_around_the_comment_are_not_counted():
    text = "  " + "c" * MAX_COMMENT + "\n"
    form = read(comment=text)
    assert form.refusal(VI) is None and form.text == "c" * MAX_COMMENT


def test_no_comment_is_an_empty_comment():
    assert read().text == "" and read().refusal(VI) is None
    assert read(comment="   ").text == ""


def test_a_comment_on_a_part_names_the_part_in_the_readers_language():
    class PartForm(CommentForm):
        on_part = comment_field(part=_("Activity ${n}", mapping={"n": "2"}))

    form = read(PartForm, comment="Xem lại kinh phí.", on_part="y" * (MAX_COMMENT + 1))
    message = form.refusal(VI)
    assert "Hoạt động 2" in message and "4.000" in message and "4.001" in message
    assert form.text == "Xem lại kinh phí."
    assert read(PartForm, on_part="y" * MAX_COMMENT).refusal(VI) is None
