"""Acronyms of the field, with their expansions: used to widen searches and shown to users."""

from __future__ import annotations

GLOSSARY: dict[str, str] = {
    "CLS": "contrat local de santé",
    "CLSM": "conseil local de santé mentale",
    "CPTS": "communauté professionnelle territoriale de santé",
    "PRS": "projet régional de santé",
    "ARS": "agence régionale de santé",
    "CPAM": "caisse primaire d'assurance maladie",
    "CAF": "caisse d'allocations familiales",
    "EPCI": "établissement public de coopération intercommunale",
    "PETR": "pôle d'équilibre territorial et rural",
    "ASV": "atelier santé ville",
    "MSP": "maison de santé pluriprofessionnelle",
    "QPV": "quartier prioritaire de la politique de la ville",
    "ISTS": "inégalités sociales et territoriales de santé",
    "PTSM": "projet territorial de santé mentale",
    "DAC": "dispositif d'appui à la coordination",
    "CCAS": "centre communal d'action sociale",
    "CTS": "conseil territorial de santé",
    "HPST": "loi hôpital, patients, santé et territoires",
    "PSSM": "premiers secours en santé mentale",
    "IVG": "interruption volontaire de grossesse",
    "CHU": "centre hospitalier universitaire",
    "ORS": "observatoire régional de la santé",
    "CC": "communauté de communes",
}


def glossary_entries() -> list[tuple[str, str]]:
    """(acronym, expansion) pairs in alphabetical order, for a page that lists them."""
    return sorted(GLOSSARY.items(), key=lambda entry: entry[0].casefold())
