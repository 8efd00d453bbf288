"""The one base of every error a user may see: its message is French and says what to do.

The CLI (assistant/cli.py) and the app (assistant/ui/errors.py) each render it in one place;
anything else that escapes is a bug, shown as such and logged with its trace.
"""


class AssistantError(Exception):
    """An error with a French message meant for the person who caused it or can fix it."""
