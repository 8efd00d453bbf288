"""The conversation of one browser session: its turns, kept in `st.session_state` across reruns.

The engine gets the previous questions as searched (standalone) with their answers, so a follow-up
of a follow-up (« Et pour Rouen ? » after « Et pour Le Havre ? ») still has a subject.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

import streamlit as st

from assistant.core.filters import Filters
from assistant.passages import Answer

TURNS = "turns"
PENDING = "pending_question"
UPLOAD_REPORT = "last_upload_report"


@dataclass
class Turn:
    question: str
    """As the user typed it."""
    answer: Answer
    audience: str
    filters: Filters
    first_piece_s: float = 0.0
    """Seconds from the question to the first piece of text."""
    total_s: float = 0.0
    asked_at: datetime = field(default_factory=datetime.now)
    id: str = field(default_factory=lambda: new_id())


def new_id() -> str:
    """Short and unique: used in widget keys and in the anchors of the source cards."""
    return uuid.uuid4().hex[:8]


def turns() -> list[Turn]:
    return st.session_state.setdefault(TURNS, [])


def history() -> list[tuple[str, str]]:
    return [(turn.answer.question, turn.answer.answer) for turn in turns()]


def reset() -> None:
    st.session_state[TURNS] = []
    st.session_state.pop(PENDING, None)


def forget_everything() -> None:
    """On a change of role (sign-in, sign-out) nothing shown to the previous role may stay."""
    reset()
    st.session_state.pop(UPLOAD_REPORT, None)


def ask_later(question: str) -> None:
    """For buttons (starter questions): the question is asked on the next run."""
    st.session_state[PENDING] = question


def take_pending() -> str | None:
    return st.session_state.pop(PENDING, None)
