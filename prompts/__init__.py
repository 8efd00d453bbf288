"""The French prompts of the generative engines: the Markdown files beside this module, filled in here.

This folder is the package `assistant.prompts` (pyproject.toml maps it), so the prompts ship in the
wheel and stay files to edit in `prompts/`.

Passages are untrusted data, so each one is fenced in `<passage ...>` … `</passage>` with `&`, `<`
and `>` escaped in its text and attributes: no document can close its fence or open a fake one.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from assistant.passages import Passage

AUDIENCE_UNKNOWN = "non précisé"


@cache
def load_prompt(name: str) -> str:
    """Text of `prompts/<name>.md`, read once (prompts are edited as files, not in code)."""
    return files(__name__).joinpath(f"{name}.md").read_text(encoding="utf-8").strip()


def escape(text: str) -> str:
    """Make text inert inside a fence: no `<`, `>` or `"` can end a tag or an attribute."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def format_passage(n: int, passage: Passage) -> str:
    """One passage as `<passage n="…" titre="…" …>text</passage>`, everything escaped."""
    meta = passage.metadata
    attributes = {
        "n": str(n),
        "titre": meta.get("title") or passage.file,
        "editeur": meta.get("publisher", ""),
        "date": passage.date,
        "page": "" if passage.page is None else str(passage.page),
    }
    head = " ".join(f'{key}="{escape(str(value))}"' for key, value in attributes.items() if value)
    return f"<passage {head}>\n{escape(passage.text.strip())}\n</passage>"


def format_passages(passages: list[Passage]) -> str:
    return "\n\n".join(format_passage(n, p) for n, p in enumerate(passages, start=1))


def system_prompt() -> str:
    return load_prompt("answer_system")


def user_prompt(question: str, passages: list[Passage], audience: str = "") -> str:
    """The user message: audience, fenced passages numbered from 1, then the question."""
    return load_prompt("answer_user").format(
        audience=escape(audience.strip()) or AUDIENCE_UNKNOWN,
        passages=format_passages(passages),
        question=escape(question.strip()),
    )
