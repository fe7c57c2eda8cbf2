"""The data model; importing this package registers every table on ``Base.metadata``."""
from newsroom.models.articles import Article, ArticleRevision, Section, SlugRedirect
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
from newsroom.models.media import Image, article_images
from newsroom.models.outlets import IngestRun, Outlet, SeoPolicy
from newsroom.models.users import Role, User

__all__ = [
    "Article", "ArticleRevision", "AuditEntry", "Ban", "BanKind", "Base", "BlocklistEntry",
    "BlocklistKind", "Comment", "CommentStatus", "Image", "IngestRun", "ModerationDecision",
    "Outlet", "Role", "Section", "SeoPolicy", "SlugRedirect", "User", "article_images", "utcnow",
]
