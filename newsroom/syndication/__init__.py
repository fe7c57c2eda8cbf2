"""Syndication: fetch outlets' RSS/Atom feeds and turn their items into credited stories."""
