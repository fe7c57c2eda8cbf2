"""The readers' blueprint: the public site at the root of the URL space."""
from flask import Blueprint

blueprint = Blueprint("readers", __name__)
