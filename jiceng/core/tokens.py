"""Unguessable tokens for links that open a page without logging in."""

import secrets


def new_token() -> str:
    """A URL-safe random token of 128 bits (22 characters).

    Used as a model field default (public case status, check-in QR, wish
    confirmation), so it takes no arguments.
    """
    return secrets.token_urlsafe(16)
