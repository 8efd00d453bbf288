"""Cleaning on the real sample files, on a PDF built here, and rule by rule on small strings."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from ingest.cleaning import clean_document
from ingest.documents import LoadedDocument, Page
from ingest.loaders import load
from tests.conftest import CORPUS, SHARED

ARS_PDF = CORPUS / "ars-normandie_2025-03-27_communique-cls.pdf"
ROUEN_PDF = CORPUS / "rouen-metropole_2023-07-03_signature-cls.pdf"
HAVRE_HTML = CORPUS / "le-havre-seine-metropole_2025-11-27_cls-2025-2029.html"
ARS_TXT = CORPUS / "ars-normandie_2017-12-08_contrats-locaux-de-sante.txt"
ROUEN_MD = CORPUS / "rouen-metropole_2025-03-20_politique-sante.md"
# Furniture the source files carry: not sentences, so not expected after cleaning.
FURNITURE = re.compile(r"^(\d+ / \d+|Powered by TCPDF \(www\.tcpdf\.org\)|Table des matières|Article|Corps de texte)$")


def cleaned(path: Path) -> LoadedDocument:
    return clean_document(load(path, path.read_bytes()))


def clean_text(text: str, name: str = "note.txt", *more_pages: str, title: str | None = None) -> str:
    numbered = name.endswith(".pdf")
    pages = [Page(i + 1 if numbered else None, t) for i, t in enumerate((text, *more_pages))]
    return clean_document(LoadedDocument(Path(name), pages, title=title)).text


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text))


def sentences(text: str) -> list[str]:
    lines = [line for line in text.split("\n") if not FURNITURE.match(line.strip())]
    return [s for s in re.split(r"(?<=[.!?])\s+|\n\s*\n", "\n".join(lines)) if words(s)]


# --- real documents ---------------------------------------------------------------------------
def test_ars_pdf_cleaned():
    doc = cleaned(ARS_PDF)
    assert [page.number for page in doc.pages] == [1, 2]
    page1, page2 = doc.pages[0].text, doc.pages[1].text
    assert "21 contrats locaux de santé" in page1
    assert "25 000 €" in page2
    assert "1 / 2" not in page1 and "2 / 2" not in page2
    assert "\n## Le rôle majeur des coordinateurs des contrats locaux de santé\n" in page2
    assert "le Projet régional de santé (PRS), qui définit" in page1
    assert "joue un rôle d'appui auprès" in page1
    assert "](#)" not in doc.text and "**" not in doc.text and "\\(" not in doc.text
    # Wrapped lines are joined into paragraphs, paragraphs stay apart.
    assert "soit plus de 50% de la population normande couverte, l'ARS Normandie" in page1
    assert "ressources diverses.\n\n## Le rôle majeur" in page2


def test_rouen_pdf_drops_generator_page():
    doc = cleaned(ROUEN_PDF)
    assert [page.number for page in doc.pages] == [1, 2]
    assert "interprétariat" in doc.pages[1].text
    assert "TCPDF" not in doc.text and "/ 3" not in doc.text


def test_ars_text_headings_and_debris():
    text = cleaned(ARS_TXT).text
    assert "\n## Les six axes prioritaires du CLS\n\nEn réponse" in text
    assert "\n## Une démarche nouvelle\n" in text
    assert "\nArticle\n" not in text and "Corps de texte" not in text
    assert "\n1. Améliorer l’accès aux droits\n2. Améliorer l’accès aux soins\n" in text


def test_html_cleaned_keeps_structure():
    text = cleaned(HAVRE_HTML).text
    assert text.startswith("jeudi 27 novembre 2025\n\n## SANTE\n\n")
    assert "\n## STRUCTURER L'ACTION TERRITORIALE EN MATIERE DE SANTE\n" in text
    assert "Accueil" not in text and "var tracking" not in text and "mentions légales" not in text


def test_markdown_lost_question_marks_and_links():
    text = cleaned(ROUEN_MD).text
    assert "\nVous êtes professionnel ?\n" in text
    questions = [line for line in text.split("\n") if line.endswith("?")]
    assert questions == ["Vous êtes professionnel ?"]
    assert not any(line.lstrip("- ").startswith("?") for line in text.split("\n"))
    assert "ne font qu'en renforcer l'importance.\n" in text
    assert "\n- Accès aux soins et à la santé\n" in text
    assert "Évaluation quantitative des impacts sur la santé (ÉQIS), réalisée" in text
    assert "Table des matières" not in text
    assert "\n## Agir pour la santé mentale\n" in text
    assert "## Modifié" not in text


@pytest.mark.parametrize("path", [ARS_PDF, ROUEN_PDF, HAVRE_HTML, ARS_TXT, ROUEN_MD])
def test_no_sentence_is_lost(path):
    doc = load(path, path.read_bytes())
    if path.suffix == ".html":
        source = BeautifulSoup(path.read_bytes(), "html.parser").main.get_text("\n\n")
    else:
        source = "\n\n".join(page.text for page in doc.pages)
    after = words(clean_document(doc).text)
    missing = [s for s in sentences(source) if words(s) not in after]
    assert missing == []


def test_huge_line_cleans_in_reasonable_time():
    path = SHARED / "corpus-bad" / "huge-line.txt"
    started = time.perf_counter()
    doc = cleaned(path)
    assert time.perf_counter() - started < 10
    assert doc.text.startswith("santé santé")


# --- a multi-page PDF built here ----------------------------------------------------------------
BODIES = [
    [
        "Le contrat local de santé réunit la collectivité, l'Agence régionale de santé et",
        "les partenaires du territoire autour d'objectifs partagés pour cinq années.",
    ],
    [
        "Le comité de pilotage se réunit deux fois par an et suit les actions menées. Sur le",
        "terrain, le coordi-",
        "nateur anime le réseau des acteurs et prépare le bilan annuel du contrat local.",
    ],
    [
        "Les habitants sont associés aux travaux par des ateliers ouverts dans chaque commune",
        "du territoire, avec l'appui des centres sociaux et des associations locales.",
    ],
]


def built_pdf() -> bytes:
    """Three pages with a running header, a page counter and a word hyphenated across lines."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for number, body in enumerate(BODIES, start=1):
        pdf.drawString(60, 800, "Communauté de communes du Pays test — CLS 2024-2028")
        for index, line in enumerate(body):
            pdf.drawString(60, 760 - 14 * index, line)
        pdf.drawString(280, 40, f"Page {number} sur 3")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_built_pdf_furniture_and_hyphens():
    doc = clean_document(load(Path("cls-test.pdf"), built_pdf()))
    assert [page.number for page in doc.pages] == [1, 2, 3]
    assert [page.text for page in doc.pages] == [
        " ".join(BODIES[0]),
        "Le comité de pilotage se réunit deux fois par an et suit les actions menées. Sur le "
        "terrain, le coordinateur anime le réseau des acteurs et prépare le bilan annuel du contrat local.",
        " ".join(BODIES[2]),
    ]


# --- rules on small strings ---------------------------------------------------------------------
@pytest.mark.parametrize("counter", ["2 / 3", "Page 2 sur 5", "- 3 -", "page 4", "Page 2/5"])
def test_page_counters_removed(counter):
    assert clean_text(f"Un texte.\n{counter}", "doc.pdf", "Suite.") == "Un texte.\n\nSuite."


def test_bare_page_number_removed_only_at_page_edges():
    assert clean_text("Un texte.\n\n12", "doc.pdf", "Suite.") == "Un texte.\n\nSuite."
    assert "\n\n12\n\n" in clean_text("Haut.\n\nA.\n\n12\n\nB.\n\nC.\n\nD.", "note.txt")


def test_repeated_headers_removed_on_multi_page_documents():
    topics = ["la prévention", "la santé mentale", "l'accès aux soins", "l'environnement"]
    pages = [f"Rapport annuel du CLS\nUne page sur {topic}.\nCLS — page {n}" for n, topic in enumerate(topics, 1)]
    assert clean_text(*pages[:1], "doc.pdf", *pages[1:]).split("\n\n") == [
        f"Une page sur {topic}." for topic in topics
    ]


def test_single_page_lines_are_never_taken_for_headers():
    assert clean_text("Rapport\nRapport\nTexte.", "doc.pdf").startswith("Rapport")


def test_generator_line_removed():
    assert clean_text("Texte.\nPowered by TCPDF (www.tcpdf.org)", "doc.pdf") == "Texte."


def test_table_of_contents_removed():
    text = "## Table des matières\n\nIntroduction ........ 3\nLes axes ......... 5\n\n# Introduction\n\nLe CLS."
    assert clean_text(text, "doc.md") == "# Introduction\n\nLe CLS."


def test_navigation_debris_removed():
    text = "Accueil > Actualités > Santé\nPartager\nLe contrat est signé.\nImprimer"
    assert clean_text(text) == "Le contrat est signé."


def test_markdown_link_debris():
    assert clean_text("Voir le [guide régional](#) et le [PRS](#prs).") == "Voir le guide régional et le PRS."
    assert clean_text("Le site [ARS](https://www.ars.fr) reste lié.") == "Le site [ARS](https://www.ars.fr) reste lié."


def test_markdown_escapes_and_bold():
    assert clean_text(r"Le Projet régional de santé \(PRS\) joue un rôle **d'appui**.") == (
        "Le Projet régional de santé (PRS) joue un rôle d'appui."
    )


LOSSY = "Premier point. ?\nDeuxième point : ?\n"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("?Renforcer les structures existantes", "Renforcer les structures existantes"),
        ("- [?Prévenir et surveiller](#)", "- Prévenir et surveiller"),
        ("Agir en concertation avec les habitants?", "Agir en concertation avec les habitants"),
        ("Le seul en Normandie.?", "Le seul en Normandie."),
        ("(associations, CCAS...)?", "(associations, CCAS...)"),
        ("- gratuité des transports en commun ?", "- gratuité des transports en commun"),
        ("[2025?](#)", "2025"),
        ("Vous êtes professionnel ?", "Vous êtes professionnel ?"),
        ("Qu'est-ce qu'un contrat local de santé?", "Qu'est-ce qu'un contrat local de santé?"),
        ("Comment le CLS est-il financé?", "Comment le CLS est-il financé?"),
        ("Le CLS est signé. Pourquoi maintenant?", "Le CLS est signé. Pourquoi maintenant?"),
        ("- Quel budget pour la prévention ?", "- Quel budget pour la prévention ?"),
        ("Le prix est-il fixé?", "Le prix est-il fixé?"),
    ],
)
def test_lost_question_marks_in_a_lossy_document(line, expected):
    text = clean_text(LOSSY + "\n" + line)
    assert text.split("\n")[-1] == expected
    assert text.startswith("Premier point.\nDeuxième point :\n")


def test_glued_question_mark_kept_when_the_document_shows_no_loss():
    assert clean_text("Le comité se réunit.\nDes questions?") == "Le comité se réunit.\nDes questions?"


def test_hyphenated_line_breaks():
    text = "Le coordi-\nnateur du CLS\nest en poste en Seine-\nMaritime et peut-\nil aider ?"
    assert clean_text(text) == "Le coordinateur du CLS\nest en poste en Seine-Maritime et peut-il aider ?"


def test_hyphen_kept_for_compounds_seen_elsewhere():
    text = "Une mesure anti-\npollution.\n\nLa lutte anti-pollution."
    assert clean_text(text, "doc.pdf").startswith("Une mesure anti-pollution.")


def test_pdf_reflow_keeps_paragraphs_lists_and_headings():
    page = (
        "Le contrat local de santé est un outil porté conjointement par l'ARS et une\n"
        "collectivité pour réduire les inégalités sociales et territoriales de santé.\n"
        "Les axes du contrat\n"
        "Le programme d'actions s'articule autour de trois axes prioritaires et de\n"
        "plusieurs actions concrètes, déclinées sur le territoire dans la durée :\n"
        "• l'accès aux soins et la démographie médicale des professionnels de santé,\n"
        "• la santé mentale.\n"
        "\n"
        "Un bilan annuel est présenté au comité de pilotage par le coordinateur du CLS."
    )
    assert clean_text(page, "doc.pdf") == (
        "Le contrat local de santé est un outil porté conjointement par l'ARS et une collectivité "
        "pour réduire les inégalités sociales et territoriales de santé.\n\n"
        "## Les axes du contrat\n\n"
        "Le programme d'actions s'articule autour de trois axes prioritaires et de plusieurs "
        "actions concrètes, déclinées sur le territoire dans la durée :\n"
        "• l'accès aux soins et la démographie médicale des professionnels de santé,\n"
        "• la santé mentale.\n\n"
        "Un bilan annuel est présenté au comité de pilotage par le coordinateur du CLS."
    )


def test_title_line_becomes_top_heading():
    text = clean_text("Le CLS de Testville\n\nLe contrat est signé pour cinq ans.", title="Le CLS de Testville")
    assert text == "# Le CLS de Testville\n\nLe contrat est signé pour cinq ans."


@pytest.mark.parametrize(
    "block",
    [
        "Le contrat est signé.",  # a sentence
        "Mis à jour le 20/03/2025",  # a date line
        "Contact : sante@exemple.fr",  # an address
        "Une ligne courte",  # followed by another short line, not by a paragraph
    ],
)
def test_no_heading_when_not_confident(block):
    text = clean_text(f"{block}\n\nAutre ligne\n\nLe comité se réunit deux fois par an.")
    assert not text.startswith("#")


def test_structured_documents_keep_their_own_headings():
    text = clean_text("# Titre\n\nLes axes du plan\n\nLe comité se réunit.", "note.md")
    assert text == "# Titre\n\nLes axes du plan\n\nLe comité se réunit."


def test_unicode_and_whitespace_normalised():
    text = clean_text("Le  comite\u0301\u00a0:\tun \ufb01nancement\u202f!  \n\n\n\nFin.")
    assert text == "Le comité : un financement !\n\nFin."


def test_empty_pages_dropped():
    doc = LoadedDocument(Path("doc.pdf"), [Page(1, "Texte."), Page(2, "  \n2 / 2\n"), Page(3, "Fin.")])
    assert [page.number for page in clean_document(doc).pages] == [1, 3]
