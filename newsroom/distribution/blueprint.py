"""The distribution blueprint: feeds, sitemaps and robots.txt at the root of the URL space."""
from flask import Blueprint

blueprint = Blueprint("distribution", __name__)
