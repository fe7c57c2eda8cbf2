"""The reply form under an article."""
from __future__ import annotations

from functools import cache
from types import SimpleNamespace

from flask import current_app, request
from flask_wtf import FlaskForm
from flask_wtf.csrf import validate_csrf
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from newsroom.inputs import is_id
from newsroom.sanitizing import url_scheme

NAME_MAX = 80
EMAIL_MAX = 254
WEBSITE_MAX = 200
BODY_MAX = 5000


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _unix_newlines(value: str | None) -> str | None:
    """Line breaks as one character, as the browser counted them against ``maxlength``."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


class CommentForm(FlaskForm):
    """Name, email, website and comment; ``company`` is a honeypot people never see."""

    name = StringField(
        "Name",
        validators=[DataRequired("Please enter your name."), Length(max=NAME_MAX)],
        filters=[_strip],
    )
    email = EmailField(
        "Email",
        validators=[
            DataRequired("Please enter your email address."),
            Length(max=EMAIL_MAX),
            Email("Please enter a valid email address, like name@example.com."),
        ],
        filters=[_strip],
    )
    website = URLField("Website", validators=[Optional(), Length(max=WEBSITE_MAX)], filters=[_strip])
    body = TextAreaField(
        "Comment",
        validators=[
            DataRequired("Please write a comment."),
            Length(max=BODY_MAX, message=f"Please keep your comment under {BODY_MAX:,} characters."),
        ],
        filters=[_unix_newlines, _strip],
    )
    #: "Email me when someone replies": a confirmation first (double opt-in), unticked by default.
    notify = BooleanField("Email me when someone replies", default=False)
    parent_id = HiddenField()
    #: Signed time the form was served, to spot replies sent faster than a person types.
    form_token = HiddenField()
    company = StringField("Leave this field empty")
    #: Read by static/js/reply.js only: ticked, the browser keeps name, email and website in
    #: its own storage; the server never stores it nor puts those values in a page it serves.
    remember = BooleanField(
        "Save my name, email, and website in this browser for the next time I comment."
    )

    def validate_website(self, field) -> None:
        if field.data and url_scheme(field.data) not in ("http", "https"):
            raise ValidationError("Please enter a web address starting with http:// or https://.")

    def validate_parent_id(self, field) -> None:
        if field.data and not is_id(field.data):
            raise ValidationError("The comment you replied to is not available.")


def read_reply() -> tuple[CommentForm | SimpleNamespace, bool]:
    """The POSTed reply, and whether it is valid (its CSRF token included).

    The token is checked with Flask-WTF's ``validate_csrf``, and a valid reply's fields by the
    form class's own rules, without building the form (:func:`_checked_by_its_rules`). The
    form is built only when either refuses, and has the last word: a refusal is returned as
    that validated form (:func:`checked_reply`), which shows what was typed and why. Building
    it also signs a new CSRF token for the page, which only a refused reply shows.
    """
    if current_app.config["WTF_CSRF_ENABLED"]:
        field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        try:
            validate_csrf(request.form.get(field))
        except ValidationError:
            return checked_reply(), False
    fields = _checked_by_its_rules(CommentForm, request.form)
    if fields is not None:
        return fields, True
    form = checked_reply()
    return form, not form.errors


class _Value:
    """A field as a WTForms filter or validator reads it, without the form built around it."""

    def __init__(self, raw: str | None):
        self.raw_data = [] if raw is None else [raw]
        self.data = raw
        self.errors: list[str] = []

    def gettext(self, text: str) -> str:
        return text

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural


def _checked_by_its_rules(form_class: type[FlaskForm], formdata) -> SimpleNamespace | None:
    """The fields of ``form_class`` read from ``formdata`` (each with ``.data``, as the form
    has them) when all pass their own filters, validators and ``validate_<name>`` methods;
    None when any does not, and the form itself then decides and says why.

    The reply POST's fast path: building the form binds and processes every field, which cost
    more than the reply's own checks. It runs the form class's own rules, in the form's order,
    so the two cannot drift apart (tests/readers/test_reply_rules.py compares them).
    """
    values = {}
    for name, unbound in _declared_fields(form_class):
        raw = formdata.get(name)
        if issubclass(unbound.field_class, BooleanField):
            false_values = unbound.kwargs.get("false_values", unbound.field_class.false_values)
            values[name] = SimpleNamespace(data=raw not in (None, *false_values))
            continue
        value = _Value(raw)
        for apply in unbound.kwargs.get("filters", ()):
            value.data = apply(value.data)
        inline = getattr(form_class, f"validate_{name}", None)
        chain = [*unbound.kwargs.get("validators", ()), *([inline] if inline else [])]
        for validator in chain:
            try:
                validator(None, value)
            except StopValidation as stop:
                if stop.args and stop.args[0]:
                    return None
                break  # Optional: an empty field needs no more checks
            except ValidationError:
                return None
        values[name] = SimpleNamespace(data=value.data)
    return SimpleNamespace(**values)


@cache
def _declared_fields(form_class: type[FlaskForm]) -> list[tuple[str, UnboundField]]:
    """The fields ``form_class`` declares, in their order (WTForms' creation counter)."""
    fields = [(name, getattr(form_class, name)) for name in dir(form_class)]
    fields = [(name, field) for name, field in fields if isinstance(field, UnboundField)]
    return sorted(fields, key=lambda item: item[1].creation_counter)


def checked_reply() -> CommentForm:
    """The POSTed reply form, CSRF field and all, validated: what a refused reply shows."""
    form = CommentForm()
    form.validate()
    return form


DETAILS_MAX = 2000
#: The report form's reasons, as readers read them (values: newsroom/models/reports.py).
REPORT_REASONS = [
    SelectChoice("spam", "Spam or advertising"),
    SelectChoice("abuse", "Abusive, harassing or hateful"),
    SelectChoice("off-topic", "Off-topic"),
    SelectChoice("illegal", "Illegal content (please say what and why)"),
    SelectChoice("other", "Something else (please say what)"),
]


class ReportForm(FlaskForm):
    """A reader's report of one comment: why, in their words when needed, and where to answer."""

    reason = RadioField(
        "Why are you reporting this comment?", choices=REPORT_REASONS,
        validators=[InputRequired("Please choose a reason.")],
    )
    details = TextAreaField(
        "Details",
        validators=[Length(max=DETAILS_MAX,
                           message=f"Please keep the details under {DETAILS_MAX:,} characters.")],
        filters=[_unix_newlines, _strip],
    )
    email = EmailField(
        "Your email (optional)",
        validators=[Optional(), Length(max=EMAIL_MAX),
                    Email("Please enter a valid email address, like name@example.com.")],
        filters=[_strip],
    )

    def validate_details(self, field) -> None:
        if self.reason.data in ("illegal", "other") and not field.data:
            raise ValidationError("Please tell the moderators what is wrong with this comment.")
