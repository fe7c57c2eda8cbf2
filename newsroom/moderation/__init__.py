"""The moderation desk: the comment queue, decisions, replies, bans, blocklists, audit log."""
from newsroom.moderation import decisions, lists, views  # noqa: F401  (routes register on import)
