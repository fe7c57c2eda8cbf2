"""The staff sign-in blueprint: /login and /logout."""
from flask import Blueprint

blueprint = Blueprint("auth", __name__)
