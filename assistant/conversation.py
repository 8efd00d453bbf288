"""Follow-up questions rewritten into standalone ones, by rules (no model needed)."""

from __future__ import annotations

import re

FOLLOW_UP = re.compile(r"^\s*(?:et|mais|puis)\s+(?:pour|à|a|dans|chez|concernant|du|de la|de|en)?\s*(?P<subject>.+?)\s*\??\s*$", re.IGNORECASE)
PRONOUN = re.compile(r"\b(?:l'|l’|le|la|les|lui|leur|y|en|il|elle|ils|elles|celui-ci|celle-ci|ce contrat|ce cls|cette démarche)\b", re.IGNORECASE)
NAME = re.compile(r"\b(?:[A-ZÉÈ][\w’'-]+(?:\s+(?:de|du|des|d'|d’|la|le|sur|en)?\s*[A-ZÉÈ][\w’'-]+)*)")
QUESTION_START = re.compile(r"^(?:quel|quelle|quels|quelles|qui|que|qu|quoi|comment|combien|où|pourquoi|quand|est|avec|pour|de|dans)\b", re.IGNORECASE)


def standalone_question(question: str, history: list[tuple[str, str]]) -> str:
    """`history` holds (question, answer) pairs, oldest first; the last one gives the context."""
    if not history:
        return question
    previous = history[-1][0]
    follow_up = FOLLOW_UP.match(question)
    if follow_up and len(question.split()) <= 8:
        return _swap_subject(previous, follow_up.group("subject"))
    if len(question.split()) <= 8 and PRONOUN.search(question) and not _names(question):
        subject = " ".join(_names(previous))
        return f"{question.rstrip(' ?')} ({subject}) ?" if subject else f"{question} {previous}"
    return question


def _swap_subject(previous: str, subject: str) -> str:
    """« Quels sont les axes du CLS de Rouen ? » + « Le Havre » → « … du CLS de Le Havre ? »"""
    names = _names(previous)
    if names:
        with_article = re.compile(rf"\b(?:de la|de l['’]|du|des|de|d['’]|à la|au|à)?\s*{re.escape(names[-1])}")
        return with_article.sub(f" de {subject}", previous, count=1).replace("  ", " ")
    return f"{previous.rstrip(' ?')} ({subject}) ?"


def _names(text: str) -> list[str]:
    """Capitalised names of a question, leaving out its first word and acronyms like CLS or ARS."""
    found = []
    for match in NAME.finditer(text):
        name = match.group(0)
        if match.start() == 0 and QUESTION_START.match(name):
            continue
        if name.isupper() and len(name) <= 5:
            continue
        found.append(name)
    return found
