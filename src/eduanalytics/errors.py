"""Exceptions a user can act on: the CLI prints their message without a traceback."""


class UserFacingError(Exception):
    """Base of errors whose message tells the user what to fix."""
