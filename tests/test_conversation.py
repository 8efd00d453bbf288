"""Follow-up questions become standalone questions before retrieval."""

from assistant.conversation import standalone_question


def test_first_question_is_left_alone():
    assert standalone_question("Quels sont les axes du CLS de Rouen ?", []) == "Quels sont les axes du CLS de Rouen ?"


def test_et_pour_swaps_the_territory():
    history = [("Quels sont les axes du CLS de la Métropole Rouen Normandie ?", "…")]
    assert standalone_question("Et pour Le Havre ?", history) == "Quels sont les axes du CLS de Le Havre ?"


def test_pronoun_question_inherits_the_previous_subject():
    history = [("Quelle période couvre le CLS de la Métropole de Rouen ?", "2023-2028")]
    rewritten = standalone_question("Qui l'a signé ?", history)
    assert rewritten.startswith("Qui l'a signé") and "Rouen" in rewritten


def test_a_full_new_question_is_not_rewritten():
    history = [("Quels sont les axes du CLS de Rouen ?", "…")]
    question = "Quel soutien financier l'ARS peut-elle apporter pour la coordination d'un CLS ?"
    assert standalone_question(question, history) == question
