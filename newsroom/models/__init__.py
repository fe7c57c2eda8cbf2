"""The data model; importing this package registers every table on ``Base.metadata``."""
from newsroom.models.articles import (
    Article,
    ArticleAutosave,
    ArticleRevision,
    Section,
    SlugRedirect,
    SourceUpdate,
    SourceUpdateStatus,
)
from newsroom.models.base import Base, utcnow
from newsroom.models.comments import (
    AuditEntry,
    Ban,
    BanKind,
    BlocklistEntry,
    BlocklistKind,
    Comment,
    CommentStatus,
    ModerationDecision,
)
from newsroom.models.commenters import TrustedCommenter
from newsroom.models.corrections import Correction, CorrectionKind
from newsroom.models.imports import ImportedItem, LegacyRedirect
from newsroom.models.invitations import Invitation
from newsroom.models.jobs import Job, JobStatus, MailRecord, MailStatus
from newsroom.models.media import Image, article_images
from newsroom.models.outlets import IngestRun, Outlet, SeoPolicy
from newsroom.models.reports import CommentReport, ReportOutcome, ReportReason
from newsroom.models.rights import LICENCE_DEEDS, LICENCE_LABELS, ExpiryAction, Licence
from newsroom.models.site import SITE_VERSION_ID, SiteVersion
from newsroom.models.subscriptions import Subscriber, Subscription
from newsroom.models.users import Role, User

__all__ = [
    "Article", "ArticleAutosave", "ArticleRevision", "AuditEntry", "Ban", "BanKind", "Base",
    "BlocklistEntry", "BlocklistKind", "Comment", "CommentReport", "CommentStatus", "Correction",
    "CorrectionKind", "ExpiryAction", "Image", "ImportedItem", "IngestRun", "Invitation", "Job",
    "JobStatus", "LegacyRedirect", "Licence", "LICENCE_DEEDS", "LICENCE_LABELS", "MailRecord",
    "MailStatus", "ModerationDecision", "Outlet", "ReportOutcome", "ReportReason", "Role",
    "Section", "SeoPolicy", "SITE_VERSION_ID", "SiteVersion", "SlugRedirect", "SourceUpdate",
    "SourceUpdateStatus", "Subscriber", "Subscription", "TrustedCommenter", "User",
    "article_images", "utcnow",
]
