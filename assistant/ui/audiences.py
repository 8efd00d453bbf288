"""Who is asking: each audience has its own starter questions and answer style.

The style itself is the engine's (`audience=` of `Assistant.ask`): the coordinator gets detailed
lists, the elected official the essentials, ARS staff answers labelled by document.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Audience:
    key: str
    """Value passed to the engine."""
    label: str
    style: str
    """What the answers look like, shown under the choice."""
    welcome: str
    starters: tuple[str, ...]


AUDIENCES: dict[str, Audience] = {
    audience.key: audience
    for audience in (
        Audience(
            "coordinateur",
            "Coordinateur·rice de CLS",
            "Réponses détaillées, en liste.",
            "Mettez en place et animez votre contrat local de santé : rôle, financement, étapes.",
            (
                "Quel est le rôle du coordinateur d'un contrat local de santé ?",
                "Quel soutien financier l'ARS Normandie peut-elle apporter pour la coordination d'un CLS ?",
                "Quelles sont les étapes d'élaboration d'un CLS pour lesquelles l'ARS accompagne les collectivités ?",
                "De quelle loi sont issus les contrats locaux de santé ?",
            ),
        ),
        Audience(
            "elu",
            "Élu·e",
            "L'essentiel en quelques phrases.",
            "Ce que font les contrats locaux de santé, chez vous et dans les autres territoires.",
            (
                "Qu'est-ce qu'un contrat local de santé ?",
                "Pour quelle durée un contrat local de santé est-il conclu ?",
                "Quels territoires normands ont signé un contrat local de santé ?",
                "Que fait la Métropole de Rouen contre la précarité menstruelle ?",
            ),
        ),
        Audience(
            "ars",
            "Agent de l'ARS",
            "Réponses rattachées à chaque document, pour comparer.",
            "Retrouvez quels contrats portent déjà une action, et avec quels partenaires.",
            (
                "Combien de contrats locaux de santé sont actifs en Normandie ?",
                "Quels sont les trois axes du nouveau CLS du Havre ?",
                "Quels sont les signataires du CLS 2025-2029 du Havre en plus de l'ARS ?",
                "Quelle part de la population normande est couverte par un contrat local de santé ?",
            ),
        ),
    )
}
DEFAULT_AUDIENCE = "coordinateur"
