"""The one form layer: every form a person fills in is read, checked and shown again through here.

It stands on WTForms, the form library of pypi/warehouse, the largest Pyramid application, and
follows its pattern: a ``Form`` base of our own, per-domain ``forms.py`` modules, fields declared
on the class, checks that need another field or the database written as ``validate_<field>``
methods, and checks that span the whole form as ``full_validate``. What this module adds is what
the intranet needs and WTForms does not know:

* Numbers are read by :mod:`intranet.numbers` alone (1.210 is one thousand two hundred and ten,
  12,5 is twelve and a half, ASCII digits only, fifteen digits at most). WTForms' own integer,
  decimal and float fields read "1.210" as 1.21 and accept "١٢"; none of them is used.
* Dates are read by :func:`intranet.i18n.read_date` (dd/mm/yyyy), which tells a badly written
  date from one that does not exist.
* Text is cleaned as :mod:`intranet.inputs` cleans a request (line breaks, control characters),
  so a form fed from elsewhere than a web request reads the same; a NUL is refused, never dropped.
* Every field keeps the text as it was typed (``raw``) beside the value it means (``data``): a
  refused form is shown again with exactly what was typed, and nothing typed is lost. Passwords
  are the one exception: they are never written back into a page.
* Every message is a translation string of the ``intranet`` domain, translated when the page is
  rendered (``_()`` in the templates, or :meth:`Form.translated` with the request's localizer).
  WTForms ships no Vietnamese catalogue, so none of its own messages is ever shown.

CSRF stays Pyramid's: every unsafe request must carry the session's token (intranet.security),
so the form adds no second token of its own (``Meta.csrf = False``).

The templates draw fields with ``templates/macros/forms.jinja2``; the error of a field is written
beside it (``<p class="error" id="err-<name>">``) and listed in a summary at the top that links
to it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from wtforms import Form as _WTForm
from wtforms.fields import Field
from wtforms.validators import StopValidation, ValidationError

from intranet import numbers
from intranet.i18n import DATE_FORMAT_ERROR, _, read_date
from intranet.inputs import MESSAGE as BAD_CHARACTERS
from intranet.inputs import NUL, clean_text

__all__ = [
    "ChoiceField",
    "DateField",
    "DecimalField",
    "Form",
    "InputField",
    "IntegerField",
    "MaxLines",
    "MoneyField",
    "PasswordField",
    "PercentageField",
    "PlainNumberField",
    "StopValidation",
    "TextField",
    "ValidationError",
]

#: What a field that must be filled in says when it is left empty, unless it says more.
MSG_REQUIRED = _("This field is required.")
#: What a list of choices says of a value that is not one of them (or of no choice at all).
MSG_CHOOSE = _("Choose one of the options.")
MSG_MONEY = _("Enter an amount in đồng, digits only, e.g. 1.500.000.")

#: A unit typed after an amount: "1.500.000 đ", "1.500.000 đồng", "1500000 VND".
_MONEY_UNIT = re.compile(r"(?i)\s*(đồng|đ|vnd)\s*$")


def _first_text(valuelist) -> str:
    """The first text sent under a field's name; a file or bytes sent there is nothing typed."""
    for value in valuelist or ():
        if isinstance(value, str):
            return value
    return ""


class MaxLines:
    """At most ``n`` lines in a text: each costs a printed page a line, however short."""

    def __init__(self, n: int):
        self.n = n

    def __call__(self, form, field):
        if field.data.count("\n") >= self.n:
            raise ValidationError(_("At most ${n} lines.", mapping={"n": self.n}))


class InputField(Field):
    """A field typed as text: ``raw`` is the text as typed, ``data`` the value it means.

    ``required`` is the message shown when the field is left empty (None: it may be left empty;
    an empty field then has ``data`` None, or "" for text, and its validators do not run).
    Subclasses read the text in ``parse`` (raise ``ValueError(message)``) and write a value back
    in ``format``.
    """

    #: Not drawn by WTForms' widgets: templates/macros/forms.jinja2 draws every field.
    widget = None
    #: What a field left empty holds.
    empty = None
    #: Whether leading and trailing spaces are not part of the value.
    strip = True
    #: The keyboard a phone shows (the ``inputmode`` attribute), when it is not the text one.
    inputmode = None
    max_length = None

    def __init__(self, label=None, validators=None, *, required=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.raw: str | None = None
        if required:
            self.flags.required = True

    def process_formdata(self, valuelist):
        self.raw = _first_text(valuelist)
        text = self.raw.strip() if self.strip else self.raw
        # A failed parse leaves the field empty; WTForms keeps the message as a processing error.
        self.data = self.empty
        if text != "":
            self.data = self.parse(self.raw)

    def parse(self, text: str):
        """The value ``text`` means; ``ValueError(message)`` when it means none."""
        return text

    def format(self, data) -> str:
        """``data`` written as a user writes it, for a form opened on stored values."""
        return "" if data is None else str(data)

    @property
    def value(self) -> str:
        """The text the field shows: as typed when the form was sent, else the value written out."""
        return self.raw if self.raw is not None else self.format(self.data)

    def _value(self):
        return self.value

    def is_empty(self) -> bool:
        return self.data is None or self.data == ""

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # the text was not read: its message says why, and only it
        if self.is_empty():
            if self.required:
                raise StopValidation(self.required)
            raise StopValidation()  # left empty, and allowed to be: nothing more to check


class TextField(InputField):
    """Text, cleaned as a request's text is; ``max_length`` counts characters after cleaning.

    ``lower`` reads the value in lower case (logins), while the text typed is shown as typed.
    """

    empty = ""

    def __init__(self, label=None, validators=None, *, max_length=None, strip=True, lower=False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.max_length = max_length
        self.strip = strip
        self.lower = lower

    def parse(self, text: str):
        if NUL in text:
            raise ValueError(BAD_CHARACTERS)
        text = clean_text(text)
        if self.strip:
            text = text.strip()
        if self.lower:
            text = text.lower()
        if self.max_length is not None and len(text) > self.max_length:
            raise ValueError(_("At most ${n} characters.", mapping={"n": self.max_length}))
        return text


class PasswordField(TextField):
    """A password: read exactly as typed (spaces are part of it) and never written back into a page."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("strip", False)
        super().__init__(label, validators, **kwargs)

    def parse(self, text: str):
        if NUL in text:
            raise ValueError(BAD_CHARACTERS)
        if self.max_length is not None and len(text) > self.max_length:
            raise ValueError(_("At most ${n} characters.", mapping={"n": self.max_length}))
        return text

    @property
    def value(self) -> str:
        return ""


class _NumberField(InputField):
    """A number read by intranet.numbers; ``messages`` puts the field's own words on a
    NumberError code (``invalid=…``, ``negative=…``, ``too_large=…``)."""

    inputmode = "numeric"

    def __init__(self, label=None, validators=None, *, messages: Mapping | None = None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.messages = dict(messages or {})

    def read(self, text: str):
        raise NotImplementedError

    def parse(self, text: str):
        try:
            return self.read(text)
        except numbers.NumberError as exc:
            raise ValueError(exc.message_or(**self.messages)) from None

    def format(self, data) -> str:
        return "" if data is None else numbers.as_text(data)


class IntegerField(_NumberField):
    """A whole number as a Vietnamese user writes it: 7, 1.210, 1 210 (never 1,5 or 1.21)."""

    def __init__(self, label=None, validators=None, *, minimum=None, maximum=None, allow_negative=False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum, self.allow_negative = minimum, maximum, allow_negative

    def read(self, text: str):
        return numbers.parse_integer(
            text, minimum=self.minimum, maximum=self.maximum, allow_negative=self.allow_negative
        )


class MoneyField(IntegerField):
    """An amount in whole đồng: 1.500.000, also with "đ", "đồng" or "VND" after it."""

    def __init__(self, label=None, validators=None, *, maximum=10**numbers.MAX_DIGITS - 1, messages=None, **kwargs):
        own = {"invalid": MSG_MONEY, "negative": MSG_MONEY, **(messages or {})}
        super().__init__(label, validators, maximum=maximum, messages=own, **kwargs)

    def read(self, text: str):
        return super().read(_MONEY_UNIT.sub("", text.strip()))


class DecimalField(_NumberField):
    """A number with decimals after a comma: 12,5; 1.210,5. More decimals than ``places`` are refused."""

    inputmode = "decimal"

    def __init__(
        self, label=None, validators=None, *, places=2, minimum=None, maximum=None, allow_negative=False, **kwargs
    ):
        super().__init__(label, validators, **kwargs)
        self.places, self.minimum, self.maximum, self.allow_negative = places, minimum, maximum, allow_negative

    def read(self, text: str):
        return numbers.parse_decimal(
            text, places=self.places, minimum=self.minimum, maximum=self.maximum, allow_negative=self.allow_negative
        )


class PercentageField(_NumberField):
    """A percentage from 0 to 100 with two decimals at most: 12,5 or 12,5%."""

    inputmode = "decimal"

    def read(self, text: str):
        return numbers.parse_percentage(text)


class PlainNumberField(InputField):
    """A number the page writes for itself (a version, an id in a hidden field): ASCII digits
    only. Anything else is None, never a message: the person did not type it."""

    def __init__(self, label=None, validators=None, *, minimum=0, maximum=numbers.MAX_INT, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def parse(self, text: str):
        return numbers.parse_plain(text, minimum=self.minimum, maximum=self.maximum)


class DateField(InputField):
    """A date typed dd/mm/yyyy (d/m/yyyy and a date picker's yyyy-mm-dd are read too)."""

    inputmode = "numeric"

    def parse(self, text: str):
        date, why = read_date(text)
        if date is None:
            raise ValueError(why or DATE_FORMAT_ERROR)
        return date

    def format(self, data) -> str:
        return "" if data is None else data.strftime("%d/%m/%Y")


class ChoiceField(InputField):
    """One value of a list: ``choices`` is a mapping of value to label, pairs, or plain values,
    and may be set on the form instance before it is checked. ``message`` is shown for a value
    that is not one of them, and for none at all (unless "" is one of them)."""

    empty = ""

    def __init__(self, label=None, validators=None, *, choices=(), message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.choices = choices
        self.message = message or MSG_CHOOSE

    def options(self) -> list[tuple[str, object]]:
        """(value, label) of every choice, in order."""
        choices = self.choices() if callable(self.choices) else self.choices
        if isinstance(choices, Mapping):
            return [(str(k), v) for k, v in choices.items()]
        out = []
        for choice in choices:
            if isinstance(choice, tuple):
                out.append((str(choice[0]), choice[1]))
            else:
                out.append((str(choice), choice))
        return out

    def process_formdata(self, valuelist):
        self.raw = _first_text(valuelist)
        self.data = self.raw

    def selected(self, value) -> bool:
        return str(value) == self.value

    def pre_validate(self, form):
        if self.data not in {v for v, _label in self.options()}:
            raise StopValidation(self.message)


class Form(_WTForm):
    """The base of every form of the intranet.

    ``Form(request.POST, request=request)`` reads a sent form (WebOb's multidict is wrapped by
    WTForms itself); ``Form(data={...})`` or ``Form(obj=row)`` opens one on stored values.
    ``validate()`` runs every field's checks, the form's ``validate_<field>`` methods, then
    ``full_validate`` for checks across fields (raise ValidationError: a message for the whole
    form). A view adds what only it can know with :meth:`add_error`.
    """

    class Meta:
        # Pyramid checks the session's CSRF token on every unsafe request: no second token here.
        csrf = False

    def __init__(self, formdata=None, *, request=None, **kwargs):
        self.request = request
        self._other_errors: dict[str, list] = {}
        super().__init__(formdata, **kwargs)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        self.form_errors = []
        full_validate = getattr(self, "full_validate", None)
        if full_validate is not None:
            try:
                full_validate()
            except ValidationError as exc:
                self.form_errors.append(exc.args[0])
        return ok and not self.form_errors and not self._other_errors

    def field_named(self, name: str):
        """The field whose HTML name is ``name``, or None."""
        for field in self:
            if field.name == name:
                return field
        return None

    def add_error(self, name: str, message) -> None:
        """Put ``message`` beside the field named ``name`` (its HTML name). A name of no field
        (an upload, a choice made on an earlier page) keeps its message under that name."""
        field = self.field_named(name)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            self._other_errors.setdefault(name, []).append(message)

    @property
    def messages(self) -> dict[str, object]:
        """HTML name -> the first message of each field that has one, in the form's order, then
        the messages of names that are no field; the form's own messages under ""."""
        out = {field.name: field.errors[0] for field in self if field.errors}
        out.update({name: errors[0] for name, errors in self._other_errors.items()})
        if self.form_errors:
            out[""] = self.form_errors[0]
        return out

    @property
    def has_errors(self) -> bool:
        return bool(self.messages)

    def label_of(self, name: str):
        """The label of the field named ``name``, or None."""
        field = self.field_named(name)
        return field.label.text if field is not None else None

    def translated(self, localizer=None) -> dict[str, str]:
        """:attr:`messages` in the reader's language (the request's localizer by default)."""
        localizer = localizer or self.request.localizer
        return {name: localizer.translate(message) for name, message in self.messages.items()}
