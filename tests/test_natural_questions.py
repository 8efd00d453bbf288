"""Questions as people type them, on documents written for these tests (real model, real Chroma).

Each test is about one behaviour of the answer layer: a part the documents do not cover, a value
they do not give, a name in an acronym or in the metadata only, a comparison of two territories,
conversation around the question.
"""

from __future__ import annotations

import pytest

from assistant.evaluation import normalize
from assistant.service import load_assistant
from ingest.pipeline import Ingestor
from tests.conftest import ROOT, make_settings

ANSWERS_CORPUS = ROOT / "tests" / "data" / "answers-corpus"


@pytest.fixture(scope="module")
def answers(embeddings, tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("answers") / "data")
    Ingestor(settings, embeddings).run([ANSWERS_CORPUS])
    return load_assistant(settings)


def _says(answer, *facts: str) -> bool:
    text = normalize(answer.answer)
    return all(normalize(fact) in text for fact in facts)


def test_conversation_around_the_question_does_not_stop_the_answer(answers):
    answer = answers.ask(
        "On en a parlé hier en bureau communautaire, c'est pour une note. Quelle est exactement la mission "
        "de la coordinatrice du CLS du Val de Brume ?"
    )
    assert answer.found and _says(answer, "animer le réseau des partenaires")


def test_each_part_is_answered_and_the_missing_one_is_named(answers):
    answer = answers.ask("Val de Brume : signé quand, pour combien de temps, et quel est le numéro de téléphone de la coordinatrice ?")
    assert answer.found
    assert _says(answer, "10 mai 2022", "cinq ans")
    missing = [line for line in answer.answer.splitlines() if "ne le précisent pas" in line]
    assert len(missing) == 1 and "téléphone" in missing[0]
    assert all(f"[{c.n}]" in answer.answer for c in answer.citations)


def test_a_value_no_document_gives_is_declined_with_the_reason(answers):
    answer = answers.ask("Quel est le numéro de téléphone de la coordinatrice du CLS du Val de Brume ?")
    assert not answer.found
    assert "aucun numéro de téléphone" in answer.answer


def test_a_count_needs_what_is_counted(answers):
    # Port-Lumière's page has numbers (a date) but no count of fiches actions.
    assert not answers.ask("Combien de fiches actions compte le CLS de Port-Lumière ?").found
    answer = answers.ask("Combien de signataires compte le CLS du Val de Brume ?")
    assert answer.found and _says(answer, "18 signataires")
    # « Habitat 29 » is a number in the sentence about the inhabitants, not a number of them.
    assert not answers.ask("Combien d'habitants participent aux ateliers de santé des Rives sauvages ?").found
    assert _says(answers.ask("Combien de communes accueillent une permanence aux Rives sauvages ?"), "12 communes")


def test_an_acronym_is_resolved_by_the_initials_of_a_name_in_the_documents(answers):
    answer = answers.ask("le CLS de la CCVB il repose sur quels axes ?")
    assert answer.found and _says(answer, "isolement des personnes âgées")


def test_a_region_abbreviation_matches_the_publisher_in_the_metadata(answers):
    # « ARS Bourgogne-Franche-Comté » is only the front matter's publisher.
    answer = answers.ask("Combien l'ARS BFC met-elle sur la coordination du CLS du Val de Brume ?")
    assert answer.found and _says(answer, "40 000 euros")


def test_a_name_the_documents_do_not_hold_is_named_in_the_refusal(answers):
    answer = answers.ask("Quand le CLS de Brocéliande a-t-il été signé ?")
    assert not answer.found and "Brocéliande" in answer.answer


def test_a_comparison_gets_one_line_per_territory(answers):
    answer = answers.ask("Entre le Val de Brume et Port-Lumière, lequel a signé son CLS en premier ?")
    assert answer.found
    lines = [line for line in answer.answer.splitlines() if line.strip()]
    assert any("Val de Brume" in line and "2022" in line for line in lines)
    assert any("Port-Lumière" in line and "2019" in line for line in lines)
    files = {c.file for c in answer.citations}
    assert len(files) == 2


def test_the_value_asked_comes_first(answers):
    answer = answers.ask("Le CLS de Port-Lumière a été signé à quelle date ?")
    assert answer.found and answer.answer.startswith("14 mars 2019 — ")


def test_a_list_is_quoted_with_the_sentence_that_announces_it(answers):
    answer = answers.ask("Quels sont les axes du contrat local de santé du Val de Brume ?")
    assert answer.found
    assert _says(answer, "trois axes", "Faciliter l'installation", "Rompre l'isolement", "conduites addictives")


def test_a_how_to_answer_carries_on_with_the_sentences_that_follow(answers):
    # The best sentence announces two bodies; the next two say what each does.
    answer = answers.ask("Comment fonctionne la gouvernance du CLS des Trois Vallons ?")
    assert answer.found and _says(answer, "une fois par an", "chaque trimestre")
    assert all(c.quote in answers.retriever.document_text(c.file) for c in answer.citations)


def test_a_synonym_answers_in_the_documents_own_words(answers):
    answer = answers.ask("Le contrat des Trois Vallons a-t-il été reconduit ?")
    assert answer.found and _says(answer, "renouvelé le 2 juin 2021")


def test_a_sentence_pointing_back_is_quoted_with_what_it_points_to(answers):
    answer = answers.ask("Pourquoi le plan d'actions des Trois Vallons donne-t-il la priorité à la mobilité ?")
    assert answer.found and _says(answer, "douze villages", "Ainsi, le plan d'actions")


def test_a_person_is_not_answered_by_the_activity_of_the_same_stem(answers):
    # The page says who ensures « la coordination », it names no coordinator.
    answer = answers.ask("Comment s'appelle la coordinatrice du CLS des Trois Vallons ?")
    assert not answer.found


def test_a_period_is_not_answered_by_a_length(answers):
    answer = answers.ask("Sur quelle période court le contrat des Trois Vallons ?")
    assert not answer.found and "aucune période" in answer.answer


def test_a_page_cut_off_mid_sentence_is_still_quoted(answers):
    answer = answers.ask("La commune de Bourg-Vallon, c'était à quelle date ?")
    assert answer.found and answer.answer.startswith("3 avril 2021 — ")
    assert answer.citations[0].quote.endswith("Bourg-Vallon a")


def test_a_question_the_page_asks_itself_is_not_the_answer(answers):
    """A questions-and-answers page: its own question line is what the answer follows, not the answer."""
    answer = answers.ask("Où les habitants des Hautes Combes peuvent-ils déposer une idée d'action pour le CLS ?")
    assert answer.found and _says(answer, "boîte à idées")
    assert not [c.quote for c in answer.citations if c.quote.rstrip().endswith("?")]


def test_a_heading_over_its_list_answers_a_part_that_leaves_its_subject_unsaid(answers):
    """« …en combien de priorités, et lesquelles ? »: the second part is about the first one's
    subject, and the list sits under a heading, not after a sentence."""
    answer = answers.ask("Aux Rives sauvages, le programme d'actions tient en combien de priorités, et lesquelles ?")
    assert answer.found
    assert _says(answer, "rompre l isolement", "jeunes medecins", "noyades sur le littoral")


def test_a_part_asking_for_years_is_answered_by_a_period(answers):
    answer = answers.ask("Le programme des Rives sauvages, il court sur combien de temps et sur quelles années ?")
    assert answer.found and _says(answer, "quatre ans", "2023-2027")
    assert "ne le précisent pas" not in answer.answer


def test_a_person_asked_by_role_is_named_by_a_sentence_holding_that_role(answers):
    answer = answers.ask("Qui est la présidente du comité de pilotage des Rives sauvages ?")
    assert answer.found and answer.answer.startswith("Mme Odile MARCHAND — ")
    # A person is named, but not as the coordinator, who is yet to be recruited.
    assert not answers.ask("Comment s'appelle la coordinatrice du CLS des Rives sauvages ?").found


def test_a_contact_card_is_quoted_whole(answers):
    """A name line without a full stop, then its e-mail and phone line: one card."""
    answer = answers.ask("Qui est le contact presse des Rives sauvages, et vous avez son numéro ?")
    assert answer.found and _says(answer, "Lucie FERRAND", "02 98 11 22 33")
    assert "ne le précisent pas" not in answer.answer
