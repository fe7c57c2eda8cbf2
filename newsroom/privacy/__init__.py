"""A commenter's personal data: the service (export, erase, purge) and its command group."""
