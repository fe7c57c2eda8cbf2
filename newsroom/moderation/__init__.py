"""The moderation desk: the comment queue, decisions, replies, bans, blocklists, audit log,
and editors' picks."""
from newsroom.moderation import decisions, lists, picks, views  # noqa: F401  (routes register on import)
