"""Question understanding, names and kinds of values: pure functions, no model needed."""

from __future__ import annotations

import re

import pytest

from assistant.answer_kinds import kind_of, states, value_span
from assistant.naming import document_text, mentions, spelled_out
from assistant.understanding import Name, completed, understand, without_common_opening


def test_context_sentences_are_set_aside_and_their_names_are_hints():
    understood = understand(
        "On en a parlé hier en bureau communautaire à Brionne. C'est quoi la mission de la coordinatrice du CLS de Val de Brume ?"
    )
    assert [p.text for p in understood.parts] == ["C'est quoi la mission de la coordinatrice du CLS de Val de Brume"]
    assert [n.surface for n in understood.required_names] == ["Val de Brume"]
    assert {n.surface for n in understood.names if not n.required} == {"Brionne"}
    assert "parl" not in understood.parts[0].focus and "mission" in understood.parts[0].focus


def test_a_topic_before_a_colon_is_shared_by_every_part():
    understood = understand("Cap Lumière : signé quand, pour quelle durée, et avec combien de signataires ?")
    assert understood.topic == "Cap Lumière"
    assert [p.kind for p in understood.parts] == ["date", "duration", "count"]
    assert all(p.text.startswith("Cap Lumière") for p in understood.parts)
    assert understood.parts[2].counted == {"signatair"}


def test_parts_are_cut_only_where_both_sides_ask_something():
    assert len(understand("Quels sont les axes et les fiches actions du CLS de Rouen ?").parts) == 1
    assert len(understand("Le CLS de Rouen a été signé quand, et le premier datait de quelle année ?").parts) == 2
    assert len(understand("CLS d'Epernay : les fiches sont suivies comment ? y a un copil ?").parts) == 2


def test_names_acronyms_and_years_are_picked_out():
    understood = understand("Combien l'ARS ARA met-elle sur le CLS du Pays Voironnais en 2024 ?")
    surfaces = [n.surface for n in understood.required_names]
    assert surfaces == ["ARA", "Pays Voironnais", "2024"]  # ARS is a word of the field, not a name
    assert understood.names[0].is_acronym


def test_filler_and_light_verbs_are_not_words_to_match():
    part = understand("Quelles actions concrètes sont prévues par exemple pour les jeunes ?").parts[0]
    assert part.focus == {"action", "jeun"}


def test_a_common_word_opening_a_sentence_is_not_a_name():
    assert understand("Parmi Maubeuge et Lille, lequel a signé ?").required_names[0].surface == "Maubeuge"
    name = understand("Budget Voiron et Lille : lequel est le plus élevé ?").required_names[0]
    assert name.surface == "Budget Voiron" and name.starts_sentence
    # « budget » is written in lower case by the documents: a common word, not part of the name
    assert without_common_opening(name, {"budget"}).surface == "Voiron"
    assert without_common_opening(Name("Vauvert", starts_sentence=True), {"budget"}).surface == "Vauvert"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Quel est le numéro de téléphone de la coordinatrice ?", "phone"),
        ("Combien l'ARS verse-t-elle pour la coordination ?", "amount"),
        ("Il est signé pour combien de temps ?", "duration"),
        ("Sur quelle période court le contrat ?", "period"),
        ("Il a été signé quand ?", "date"),
        ("Combien de fiches actions compte-t-il ?", "count"),
        ("Quels sont les axes du contrat ?", None),
        ("Comment s'appelle la coordinatrice ?", "person"),
        ("Qui est le référent santé de la ville ?", "person"),
        ("Qui a signé le contrat ?", None),
    ],
)
def test_the_kind_of_value_asked(question, kind):
    assert kind_of(question) == kind


def test_a_sentence_states_a_value_of_the_kind_asked_or_not():
    assert states("phone", "Contact : 02 31 45 67 89")
    assert not states("phone", "La coordinatrice anime le réseau des partenaires.")
    assert states("amount", "L'ARS apporte 35 000 euros par an.")
    assert not states("count", "Signé le 8 septembre 2023.")  # a day or a year is not a count
    assert value_span("date", "Il a été signé le 27 février 2019 à Toulon.") == "27 février 2019"
    assert value_span("duration", "Il est conclu pour cinq ans.") == "cinq ans"


def test_names_are_found_in_metadata_and_by_initials():
    document = document_text(
        ["La Communauté d'agglomération de Béthune-Bruay, Artois Lys Romane signe son deuxième contrat."],
        {"publisher": "ARS Hauts-de-France", "territory": "CapAtlantique"},
    )
    assert mentions(Name("CABBALR"), document)
    assert mentions(Name("HDF"), document)  # « de » gives a letter here…
    assert spelled_out("cvl", ["centre", "val", "de", "loire"])  # …and is skipped there
    assert mentions(Name("Cap Atlantique"), document)
    assert mentions(Name("béthune"), document)
    assert mentions(Name("CPAM"), document_text(["la caisse primaire d'assurance maladie"], {}))
    assert not mentions(Name("Toulon"), document)
    assert not mentions(Name("EMS"), document)
    assert mentions(Name("LHSM"), document_text(["Le Havre Seine Métropole signe son contrat."], {}))  # a name's article
    assert not mentions(Name("LHSM"), document_text(["Pour le havre, la Seine et la métropole."], {}))


def test_a_sources_own_footnote_marks_are_not_taken_for_citations():
    """Encyclopaedic text carries « [2] » marks; quoted as is, they were markers without a
    citation (the invalid citations of the French QA set)."""
    from assistant.engines.extractive import ExtractiveEngine
    from assistant.passages import Passage

    text = "La ville compte 500 000 habitants [2]. Elle est traversée par le Rhône [3]."
    passage = Passage("d:0", text, {"file": "lyon.txt", "doc_id": "d", "title": "Lyon"}, 1.0)
    draft = ExtractiveEngine().draft("Combien d'habitants compte la ville ?", [passage])
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", draft.text)}
    assert draft.citations and markers == {c.n for c in draft.citations}
    assert "500 000 habitants (2)" in draft.text and draft.citations[0].quote in text


def test_a_period_runs_from_one_year_to_another_and_a_day_has_its_month():
    assert states("period", "Il court de 2022 à 2027.") and states("period", "du 1er janvier 2022 au 31 mars 2026")
    assert not states("period", "Il est conclu pour cinq ans.")  # a length, not a period
    assert kind_of("Le contrat a été signé quel jour ?") == "day"
    assert states("day", "le 11 décembre 2025") and not states("day", "en décembre 2025")
    assert value_span("date", "Ce jeudi 11 décembre, puis le 11 décembre 2025.") == "11 décembre 2025"


def test_a_count_is_neither_an_article_nor_an_item_label():
    assert states("count", "Il se décline en 16 fiches actions.")
    assert not states("count", "- Axe n°1 : renforcer la coordination")
    assert not states("count", "Axe 2 : prévenir les addictions")
    assert not states("count", "avec une méthode de travail partagée")


def test_a_compound_name_gives_the_initials_of_its_parts():
    assert spelled_out("ems", ["l", "eurometropole", "de", "strasbourg"])
    assert not spelled_out("ems", ["la", "metropole", "de", "strasbourg"])


def test_a_person_asked_for_is_told_from_the_activity():
    from assistant.understanding import names_agent

    assert understand("Qui est la coordinatrice du contrat ?").parts[0].agents == {"coordin"}
    assert understand("Qui finance la coordination du contrat ?").parts[0].agents == set()
    assert names_agent("coordin", "Contact : Mme Durand, coordinatrice")
    assert not names_agent("coordin", "La coordination est assurée par le Pays.")


def test_word_families_and_synonyms_of_the_field():
    from assistant.core.french import expanded_terms
    from assistant.engines.units import has_term
    from assistant.synonyms import with_synonyms

    assert has_term(expanded_terms("pour une durée de quatre ans"), "dur")  # « durait »
    assert not has_term({"communaut"}, "commun")
    assert expanded_terms("renouvelé") <= with_synonyms(expanded_terms("Le contrat a été reconduit."))
    assert not expanded_terms("renouvelé") <= with_synonyms(expanded_terms("Le contrat a été signé."))


def test_values_asked_without_a_question_word_are_parts_of_their_own():
    understood = understand("Val de Brume : date de signature et nombre de signataires ?")
    assert [p.kind for p in understood.parts] == ["date", "count"]
    assert understood.parts[1].counted == {"signatair"}


def test_a_year_is_mentioned_by_the_period_that_covers_it():
    document = document_text(["Le deuxième contrat court sur 2023/2027."], {"territory": "Val de Brume"})
    assert mentions(Name("2024"), document) and mentions(Name("2023"), document)
    assert not mentions(Name("2029"), document)
    assert understand("Quel CLS était en vigueur en 2024 au Val de Brume ?").names[-1].is_year


def test_initials_are_a_name_s_not_a_phrase_s():
    assert mentions(Name("EMS"), document_text(["le Conseil de l'Eurométropole de Strasbourg"], {}))
    assert not mentions(Name("EMS"), document_text(["le dispositif Escorter (Équipe mobile de soins)"], {}))
    assert not mentions(Name("EMS"), document_text(["Épernay se mobilise avec son contrat"], {}))


def test_a_two_word_name_is_also_searched_written_as_one():
    assert any(t.startswith("CapLumière ") for t in understand("Cap Lumière a signé quand ?").search_texts)
    assert not any("ValdeBrume" in t for t in understand("Val de Brume a signé quand ?").search_texts)


def test_a_heading_stating_the_value_is_quoted_with_the_sentence_under_it():
    from assistant.engines.extractive import ExtractiveEngine
    from assistant.passages import Passage

    text = "## Un second contrat pour 2024-2028\n\nLe contrat de Val de Brume a été renouvelé après son évaluation."
    passage = Passage("d:0", text, {"file": "brume.md", "doc_id": "d", "title": "Val de Brume"}, 1.0)
    draft = ExtractiveEngine().draft("Le contrat de Val de Brume a été renouvelé pour quelle période ?", [passage])
    assert draft.text.startswith("2024-2028 — Un second contrat pour 2024-2028")
    assert draft.citations[0].quote in text and "renouvelé" in draft.citations[0].quote


def test_words_of_conversation_are_not_names():
    assert understand("Pouvez-vous citer des exemples de CLS de deuxième génération ?").required_names == []
    assert [n.surface for n in understand("Bonjour, Savez-vous si Port-Lumière a un CLS ?").required_names] == [
        "Port-Lumière"
    ]
    assert [n.surface for n in understand("Le CLS de Celles-sur-Belle ?").required_names] == ["Celles-sur-Belle"]


def test_examples_of_contracts_are_one_per_document():
    assert understand("Pouvez-vous citer des exemples de CLS renouvelés ?").lists_documents
    assert understand("Y a-t-il d'autres contrats en Bretagne ?").lists_documents
    assert not understand("Quelle est la mission des CLS ?").lists_documents


def test_a_part_without_words_of_its_own_borrows_the_previous_parts_subject():
    listed = understand("Le plan compte combien d'axes, et lesquels ?").parts
    assert len(listed) == 2 and listed[1].wants_list and "axe" in listed[1].focus
    counted = understand("Combien de fiches actions pour Bourg-Vallon, et combien pour Port-Lumière ?").parts
    assert counted[1].kind == "count" and counted[1].counted == counted[0].counted
    dated = understand("Il court sur combien de temps et sur quelles années ?").parts
    assert [p.kind for p in dated] == ["duration", "period"]


def test_a_name_typed_partly_in_lower_case_is_completed_as_the_documents_write_it():
    question = "Le CLS des Rives sauvages date de quand ?"
    name = Name("Rives")
    assert completed(name, question, ["La CC des Rives sauvages a signé."]).surface == "Rives sauvages"
    assert completed(name, question, ["Les Rives du lac."]).surface == "Rives"  # not written so: unchanged
    assert completed(Name("Rives"), "Les Rives de la Brume ?", ["les Rives de la Brume"]).surface == "Rives"


def test_a_name_typed_small_is_several_words_a_common_noun_alone_stays_a_word():
    from assistant.abstention import typed_small
    from assistant.naming import capitalised_words

    capitalised = capitalised_words(["La CC de Challans Gois travaille avec l'Université de Rouen."])
    assert typed_small("le cls de challans gois date de quand ?", capitalised) == {"challan", "gois"}
    assert typed_small("avec quelle université travaille-t-elle ?", capitalised) == set()


def test_a_request_asks_as_a_question_does():
    parts = understand("X et Y : leurs CLS ont-ils la même durée ? Donnez-moi les périodes des deux.").parts
    assert [p.kind for p in parts] == ["duration", "period"]
    assert not parts[1].focus  # « des deux » is no word to match
