"""The desk's forms: decisions, bulk decisions, staff replies, bans and blocklist entries."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Field,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from newsroom.dates import local_today
from newsroom.inputs import is_id
from newsroom.models import BanKind, BlocklistKind
from newsroom.moderation.actions import ACTIONS, normalise_entry

REASON_MAX = 500
REPLY_MAX = 5000
#: At most this many comments in one bulk decision (a queue page holds at most 100).
BULK_MAX = 200


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class DecisionForm(FlaskForm):
    """One comment's decision: an optional reason, and where to go back to."""

    reason = StringField(
        "Reason", validators=[Optional(), Length(max=REASON_MAX)], filters=[_strip]
    )
    next = HiddenField()

    def refusal(self, unread: str = "The decision could not be read.") -> str | None:
        """None when the POST reads; else what to tell the moderator (the reason's error, or
        ``unread`` when the form itself was refused, e.g. its CSRF token)."""
        if self.validate():
            return None
        return " ".join(self.reason.errors) or unread


class IdListField(Field):
    """The ticked checkboxes: every submitted value that is a number."""

    def process_formdata(self, valuelist):
        self.data = sorted({int(value) for value in valuelist if is_id(value)})

    def _value(self):
        return ""


class BulkForm(DecisionForm):
    """The same decision for every ticked comment."""

    ids = IdListField("Comments", default=list)
    action = SelectField("Action", choices=[SelectChoice(action, action) for action in ACTIONS])

    def validate_ids(self, field) -> None:
        if not field.data:
            raise ValidationError("Tick at least one comment.")
        if len(field.data) > BULK_MAX:
            raise ValidationError(f"Decide at most {BULK_MAX} comments at a time.")


class ReplyForm(FlaskForm):
    """A staff reply, published at once under the comment."""

    body = TextAreaField(
        "Reply",
        validators=[
            DataRequired("Please write a reply."),
            Length(max=REPLY_MAX, message=f"Please keep the reply under {REPLY_MAX:,} characters."),
        ],
        filters=[_strip],
    )
    next = HiddenField()


class BanForm(FlaskForm):
    """Ban a comment's email, IP address or email domain, for a while or until lifted."""

    kind = SelectField(
        "Ban",
        choices=[
            SelectChoice(BanKind.EMAIL.value, "its email address"),
            SelectChoice(BanKind.IP.value, "its IP address"),
            SelectChoice(BanKind.DOMAIN.value, "its email domain"),
        ],
    )
    days = IntegerField(
        "For how many days",
        validators=[Optional(), NumberRange(1, 3650, "Between 1 and 3,650 days.")],
    )
    until = DateField("Or until (date)", validators=[Optional()])
    reason = StringField(
        "Reason", validators=[Optional(), Length(max=REASON_MAX)], filters=[_strip]
    )
    mark_spam = BooleanField("Also mark this comment as spam")
    next = HiddenField()

    def validate_until(self, field) -> None:
        if field.data is None:
            return
        if self.days.data:
            raise ValidationError("Give a number of days or a date, not both.")
        if field.data <= local_today():
            raise ValidationError("Please choose a date after today.")


class BlocklistForm(FlaskForm):
    """A new blocklist entry."""

    kind = SelectField(
        "Kind", choices=[SelectChoice(kind.value, kind.value) for kind in BlocklistKind]
    )
    value = StringField(
        "Value",
        validators=[DataRequired("Please enter a value."), Length(max=254)],
        filters=[_strip],
    )

    def validate_value(self, field) -> None:
        if self.kind.data not in {kind.value for kind in BlocklistKind}:
            return
        try:
            field.data = normalise_entry(BlocklistKind(self.kind.data), field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None


class PostForm(FlaskForm):
    """A button that only needs the CSRF token (lift a ban, remove an entry)."""

    next = HiddenField()
