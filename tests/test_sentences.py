"""Sentences as quoted: cut where a sentence ends, not after an abbreviation that a year follows."""

from __future__ import annotations

from assistant.core.sentences import split_sentences


def texts(text: str) -> list[str]:
    return [sentence.text for sentence in split_sentences(text)]


def test_an_abbreviated_month_keeps_its_year():
    assert texts("Le contrat a été signé le 3 juil. 2025 à Vire. Il court sur cinq ans.") == [
        "Le contrat a été signé le 3 juil. 2025 à Vire.", "Il court sur cinq ans."]
    assert texts("Comité de pilotage le 12 déc. 2024 puis le 5 févr. 2025.") == [
        "Comité de pilotage le 12 déc. 2024 puis le 5 févr. 2025."]


def test_a_sentence_that_ends_with_a_month_still_ends():
    assert texts("La réunion est reportée en sept. Les élus en seront informés.") == [
        "La réunion est reportée en sept.", "Les élus en seront informés."]


def test_spans_are_the_text_itself():
    text = "Signé le 2 oct. 2023.\n- Axe 1 : prévention. Axe 2 : accès aux soins."
    for sentence in split_sentences(text):
        assert text[sentence.start:sentence.end] == sentence.text
