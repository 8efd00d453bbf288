"""The one interface every answer engine follows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from assistant.passages import Draft, Passage


class AnswerEngine(Protocol):
    name: str

    def stream(self, question: str, passages: list[Passage], audience: str = "") -> Iterator[str]:
        """Pieces of the answer text as they are produced (for a chat that shows them at once).

        The text may still change at the end: `draft` is the checked final version.
        """
        ...

    def draft(self, question: str, passages: list[Passage], audience: str = "") -> Draft:
        """The final, checked answer text with its citations."""
        ...

    def finish(self, question: str, passages: list[Passage], audience: str = "") -> Draft:
        """The checked draft of the latest `stream()` with these inputs, without generating again."""
        ...
