"""The comment written with a step of a workflow, read the same way for every document: returning,
accepting or reopening a report, returning or approving a commune plan (and the comments on its
parts), returning, not recognising or reopening an assessment.

A comment is kept whole or the step is refused: one longer than :data:`MAX_COMMENT` characters
(counted as :class:`intranet.forms.TextField` reads them: line breaks cleaned, surrounding spaces
left out) refuses the step with a message naming the limit, and nothing is stored. The pages'
textareas carry ``maxlength`` with the same number, so a browser does not send more.
"""

from __future__ import annotations

from pyramid.i18n import TranslationString

from intranet.forms import Form, TextField, ValidationError
from intranet.i18n import _, format_number

__all__ = ["MAX_COMMENT", "CommentForm", "CommentLength", "comment_field"]

#: The characters a comment may have: a page of text, far more than any review needs.
MAX_COMMENT = 4000

MSG_TOO_LONG = _(
    "The comment has ${count} characters; a comment may have at most ${n}. "
    "Nothing has been changed: shorten the comment and send it again."
)
MSG_PART_TOO_LONG = _(
    "The comment on “${part}” has ${count} characters; a comment may have at most ${n}. "
    "Nothing has been changed: shorten the comment and send it again."
)


class CommentLength:
    """At most ``n`` characters in a comment; ``part`` names what the comment is on (a part of a
    plan: a translation string or a text), for the message."""

    def __init__(self, n: int = MAX_COMMENT, *, part=None):
        self.n = n
        self.part = part

    def __call__(self, form, field):
        count = len(field.data)
        if count <= self.n:
            return
        mapping = {"count": format_number(count), "n": format_number(self.n)}
        if self.part is None:
            raise ValidationError(TranslationString(MSG_TOO_LONG, mapping=mapping))
        raise ValidationError(TranslationString(MSG_PART_TOO_LONG, mapping={**mapping, "part": self.part}))


def comment_field(*, part=None, **kwargs) -> TextField:
    """A comment of a workflow step (``part``: what it is on, see :class:`CommentLength`); other
    arguments go to the field (``name="reason"``: the name it is sent under)."""
    return TextField(validators=[CommentLength(part=part)], **kwargs)


class CommentForm(Form):
    """The comment of a step: ``validate()``, then :attr:`text` is what is kept, or
    :meth:`refusal` what the step is refused with."""

    comment = comment_field()

    @property
    def text(self) -> str:
        """The comment, whole (empty when none was written)."""
        return self.comment.data or ""

    def refusal(self, localizer=None) -> str | None:
        """The first message of the form in the reader's language (the request's localizer by
        default), with what it names (a part of a plan) translated too; None when there is none."""
        messages = list(self.messages.values())
        if not messages:
            return None
        localizer = localizer or self.request.localizer
        message = messages[0]
        mapping = {
            key: localizer.translate(value) if isinstance(value, TranslationString) else value
            for key, value in (getattr(message, "mapping", None) or {}).items()
        }
        if mapping:
            message = TranslationString(message, mapping=mapping)
        return localizer.translate(message)
