"""The desk's forms: stories, publishing actions, sections and outlets."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from newsroom.dates import LocalDateTimeField
from newsroom.extensions import db
from newsroom.content.corrections import MAX_CORRECTION_LENGTH
from newsroom.models import (
    LICENCE_LABELS, CorrectionKind, ExpiryAction, Image, Licence, Outlet, Section, SeoPolicy,
)
from newsroom.sanitizing import url_scheme
from newsroom.slugs import MAX_SLUG_LENGTH, slugify
from newsroom.syndication.fetching import is_http_url

def strip(value):
    return value.strip() if isinstance(value, str) else value


def optional_int(value) -> int | None:
    return int(value) if value not in (None, "", "None") else None


def web_address(message: str = "Please enter an address starting with http:// or https://."):
    """A validator: empty, or an http(s) URL with a host that a browser can follow."""

    def check(form, field) -> None:
        if not field.data:
            return
        if url_scheme(field.data) not in ("http", "https") or not is_http_url(field.data):
            raise ValidationError(message)

    return check


def slug_shape(form, field) -> None:
    """A slug is lowercase words joined by single hyphens: what ``slugify`` leaves unchanged."""
    if field.data and slugify(field.data) != field.data:
        example = slugify(field.data) or "harbour-lights-switched-on"
        raise ValidationError(
            f"Use lowercase letters, digits and single hyphens, like “{example}”."
        )


def slug_field(label: str = "Slug") -> StringField:
    return StringField(
        label,
        validators=[Optional(), Length(max=MAX_SLUG_LENGTH), slug_shape],
        filters=[strip, lambda v: v.lower() if isinstance(v, str) else v],
    )


class ArticleForm(FlaskForm):
    """A story: text, picture, section, comments switch and, when syndicated, its attribution."""

    headline = StringField(
        "Headline",
        validators=[DataRequired("Please write a headline."), Length(max=300)],
        filters=[strip],
    )
    slug = slug_field()
    standfirst = TextAreaField("Standfirst", validators=[Length(max=1000)], filters=[strip])
    body = TextAreaField("Body", validators=[Length(max=200_000)])
    section_id = SelectField("Section", coerce=optional_int, validate_choice=True)
    byline = StringField("Byline", validators=[Length(max=200)], filters=[strip])
    image_url = URLField(
        "Featured image URL",
        validators=[Optional(), Length(max=500), web_address()],
        filters=[strip],
    )
    #: An image from the media library (set by "Use as lead image" or an upload).
    image_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    remove_image = BooleanField("Remove this lead image")
    image_alt = StringField(
        "Alt text",
        validators=[Length(max=500)],
        filters=[strip],
        description="What the picture shows, for people who cannot see it.",
    )
    image_caption = StringField("Image caption", validators=[Length(max=500)], filters=[strip])
    image_credit = StringField("Image credit", validators=[Length(max=200)], filters=[strip])
    comments_enabled = BooleanField("Comments open", default=True)
    outlet_id = SelectField("Outlet", coerce=optional_int, validate_choice=True)
    original_url = URLField(
        "Original story URL",
        validators=[Optional(), Length(max=1000), web_address()],
        filters=[strip],
    )
    original_author = StringField("Original author", validators=[Length(max=200)], filters=[strip])
    original_published_at = LocalDateTimeField("Original publication date", validators=[Optional()])
    #: The story's version when the form was served; an older one means someone saved since.
    version = HiddenField()

    def validate_outlet_id(self, field) -> None:
        if self.original_url.data and field.data is None:
            raise ValidationError("An original URL needs the outlet it was published in.")

    def validate_image_id(self, field) -> None:
        if field.data is not None and db.session.get(Image, field.data) is None:
            raise ValidationError("That image is no longer in the media library.")

    def validate_image_alt(self, field) -> None:
        if self.lead_image_id() is not None or self.image_url.data:
            if not field.data:
                raise ValidationError("Please describe the lead image for people who cannot see it.")

    def lead_image_id(self) -> int | None:
        """The library image the story will lead with once saved."""
        return None if self.remove_image.data else self.image_id.data


class UploadForm(FlaskForm):
    """An image for the library (and, with ``article_id``, for a story's lead or body)."""

    file = FileField(
        "Image file (JPEG, PNG, WebP or GIF)",
        validators=[FileRequired("Please choose an image file.")],
    )
    alt = StringField(
        "Alt text",
        validators=[
            DataRequired("Please describe the image for people who cannot see it."),
            Length(max=500),
        ],
        filters=[strip],
    )
    caption = TextAreaField("Caption", validators=[Length(max=2000)], filters=[strip])
    credit = StringField("Credit", validators=[Length(max=200)], filters=[strip])
    article_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    use = HiddenField(validators=[AnyOf(("", "lead", "body"))], default="")


class PlaceImageForm(FlaskForm):
    """Put a library image in a story: as its lead image or at the end of its body."""

    article_id = IntegerField(widget=HiddenInput(), validators=[DataRequired()])
    use = HiddenField(validators=[AnyOf(("lead", "body"))])


class ScheduleForm(FlaskForm):
    """Publish at a later time, typed in the site's zone."""

    publish_at = LocalDateTimeField(
        "Publish at", validators=[DataRequired("Please choose a date and time.")]
    )


class ActionForm(FlaskForm):
    """A button that changes state: only the CSRF token."""


class SourceUpdateForm(FlaskForm):
    """Apply or dismiss a source update: the story's version the editor read the diff against."""

    version = HiddenField(validators=[DataRequired()])


class CorrectionForm(FlaskForm):
    """A dated note on a story: its kind, its plain text, and whether it is pinned too."""

    kind = SelectField(
        "Kind", choices=[SelectChoice(kind.value, kind.label) for kind in CorrectionKind],
        default=CorrectionKind.CORRECTION.value,
    )
    text = TextAreaField(
        "Text",
        filters=[strip],
        validators=[
            DataRequired("Please write what the note says."),
            Length(max=MAX_CORRECTION_LENGTH,
                   message=f"Please keep it under {MAX_CORRECTION_LENGTH} characters."),
        ],
    )
    pinned_above_comments = BooleanField("Also pin it above the comments")


def name_field(noun: str, max_length: int) -> StringField:
    """The required, unique name of a section or an outlet."""
    return StringField(
        "Name",
        validators=[DataRequired(f"Please name the {noun}."), Length(max=max_length)],
        filters=[strip],
    )


class NamedForm(FlaskForm):
    """The form of a row with a unique name and slug: a section or an outlet.

    ``current`` is the row being edited (None for a new one): its own name and slug are free.
    """

    model: type[Section] | type[Outlet]
    noun: str

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, obj=current, **kwargs)
        self.current = current

    def _taken(self, column, value: str) -> bool:
        others = select(self.model.id).where(column == value)
        if self.current is not None:
            others = others.where(self.model.id != self.current.id)
        return db.session.scalar(others) is not None

    def validate_name(self, field) -> None:
        if field.data and self._taken(self.model.name, field.data):
            raise ValidationError(f"Another {self.noun} has this name.")

    def validate_slug(self, field) -> None:
        if field.data and self._taken(self.model.slug, field.data):
            raise ValidationError(f"Another {self.noun} uses this slug.")


class SectionForm(NamedForm):
    """A section of the site."""

    model, noun = Section, "section"

    name = name_field("section", 80)
    slug = slug_field()
    description = TextAreaField("Description", validators=[Length(max=2000)], filters=[strip])
    position = IntegerField(
        "Position in the navigation",
        default=0,
        validators=[Optional(), NumberRange(min=0, max=10_000)],
    )


class RightsFields:
    """The rights a story carries, or an outlet gives its stories by default."""

    licence = SelectField(
        "Licence",
        choices=[SelectChoice("", "— Not recorded —")]
        + [SelectChoice(code.value, LICENCE_LABELS[code]) for code in Licence],
        validators=[AnyOf([""] + [code.value for code in Licence], "Please choose a licence.")],
        default="",
    )
    licence_text = TextAreaField(
        "Licence terms in words", validators=[Length(max=5000)], filters=[strip]
    )
    credit_line = StringField("Required credit line", validators=[Length(max=300)],
                              filters=[strip])
    embargo_until = LocalDateTimeField("Embargo: not before", validators=[Optional()])
    expires_at = LocalDateTimeField("Rights expire at", validators=[Optional()])
    expiry_action = SelectField(
        "At expiry",
        choices=[
            SelectChoice(ExpiryAction.UNPUBLISH.value, "Unpublish the story"),
            SelectChoice(ExpiryAction.NOINDEX.value, "Keep it, out of search results (noindex)"),
        ],
        default=ExpiryAction.UNPUBLISH.value,
    )

    def validate_licence_text(self, field) -> None:
        if self.licence.data == Licence.OTHER.value and not field.data:
            raise ValidationError("Please give the terms when the licence is “Other terms”.")

    def validate_expires_at(self, field) -> None:
        embargo = self.embargo_until.data
        if field.data and embargo and field.data <= embargo:
            raise ValidationError("The rights must expire after the embargo ends.")


class RightsForm(RightsFields, FlaskForm):
    """A story's own rights at the desk."""


class OutletForm(RightsFields, NamedForm):
    """An outlet whose stories we republish."""

    model, noun = Outlet, "outlet"

    name = name_field("outlet", 120)
    slug = slug_field()
    homepage_url = URLField(
        "Homepage URL",
        validators=[
            DataRequired("Please give the outlet's homepage."),
            Length(max=500),
            web_address(),
        ],
        filters=[strip],
    )
    feed_url = URLField(
        "Feed URL (RSS or Atom)",
        validators=[Optional(), Length(max=500), web_address()],
        filters=[strip],
    )
    seo_policy = SelectField(
        "Search engines",
        choices=[
            SelectChoice(SeoPolicy.CANONICAL.value, "Canonical link to the original (recommended)"),
            SelectChoice(SeoPolicy.NOINDEX.value, "Keep our copy out of search results (noindex)"),
        ],
        default=SeoPolicy.CANONICAL.value,
    )
    auto_publish = BooleanField("Publish fetched stories at once")
    auto_apply_source_updates = BooleanField(
        "Apply source updates automatically to stories nobody at the desk has edited"
    )
    auto_unpublish_withdrawn = BooleanField(
        "Unpublish stories whose original the outlet withdrew (404 or 410)"
    )
    refresh_minutes = IntegerField(
        "Refresh every N minutes",
        default=30,
        validators=[
            Optional(),
            NumberRange(min=0, max=10_080, message="Please give 0 to 10,080 minutes (a week)."),
        ],
    )
