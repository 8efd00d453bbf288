"""A generated CLS contract whose facts sit at known pages, for the page-citation and page-view tests.

Pages are short (a few paragraphs), so that most chunks run over a page break: a quote in the
second half of such a chunk is on a later page than the chunk's first. Every sentence is unique,
so that where it lies in the PDF can be checked without ambiguity.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

TERRITORY = "Valmont-sur-Orne"
FACTS = {
    2: ("Le comité de pilotage du CLS de Valmont-sur-Orne se réunit trois fois par an, en mars, juin et novembre.",
        "Combien de fois par an se réunit le comité de pilotage du CLS de Valmont-sur-Orne ?"),
    3: ("La coordinatrice du CLS de Valmont-sur-Orne est hébergée à la maison France services de la rue des Tilleuls.",
        "Où est hébergée la coordinatrice du CLS de Valmont-sur-Orne ?"),
    4: ("Le bus santé itinérant du CLS de Valmont-sur-Orne dessert onze communes rurales chaque semaine.",
        "Combien de communes dessert le bus santé itinérant du CLS de Valmont-sur-Orne ?"),
    5: ("Le dépistage du diabète prévu par le CLS de Valmont-sur-Orne dispose d'un budget annuel de 18 500 euros.",
        "Quel est le budget annuel du dépistage du diabète dans le CLS de Valmont-sur-Orne ?"),
}
"""Page → (sentence stating the fact, question it answers)."""
ACROSS = ("La maison de santé pluriprofessionnelle de Valmont-sur-Orne ouvrira ses portes",
          "en septembre 2026 avec huit médecins généralistes et deux infirmières.")
ACROSS_PAGE = 5
"""A sentence that starts at the foot of page 5 and ends at the top of page 6."""
SUBJECTS = ["Les partenaires signataires", "Le conseil local de santé mentale", "Les professionnels du territoire",
            "La communauté professionnelle territoriale", "Les associations d'usagers", "Le centre hospitalier"]
VERBS = ["partagent", "examinent", "complètent", "actualisent", "diffusent", "présentent"]
OBJECTS = ["les données du diagnostic local", "le bilan des actions engagées", "les besoins des habitants",
           "les indicateurs de suivi", "les priorités de santé publique", "les comptes rendus des réunions"]
LEFT, TOP, WIDTH = 2.5 * cm, A4[1] - 2.5 * cm, A4[0] - 5 * cm


def filler(page: int, index: int) -> str:
    """A sentence without any fact, unique to its page and place."""
    k = page * 7 + index
    return (f"{SUBJECTS[k % 6]} {VERBS[(k // 6) % 6]} {OBJECTS[(k // 2 + page) % 6]} "
            f"lors de la séance numéro {page * 10 + index} de l'année.")


def page_paragraphs(page: int) -> list[str]:
    """Two paragraphs of filler, the page's fact (if any) between them."""
    paragraphs = [" ".join(filler(page, i) for i in range(3))]
    if page in FACTS:
        paragraphs.append(FACTS[page][0])
    paragraphs.append(" ".join(filler(page, i) for i in range(3, 6)))
    if page == ACROSS_PAGE:
        paragraphs.append(ACROSS[0])
    if page == ACROSS_PAGE + 1:
        paragraphs.insert(0, ACROSS[1])
    return paragraphs


@dataclass(frozen=True)
class Line:
    """A printed line: its text, page and baseline, in points from the top left of the page."""

    text: str
    page: int
    left: float
    baseline: float
    size: float


def write_contract(path: Path, pages: int = 6) -> list[Line]:
    """Writes the contract; returns where every line of body text was printed."""
    printed = []
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    canvas.setTitle(f"Contrat local de santé de {TERRITORY}")
    for page in range(1, pages + 1):
        cursor = TOP
        if page == 1:
            canvas.setFont("Helvetica-Bold", 15)
            canvas.drawString(LEFT, cursor, f"Contrat local de santé de {TERRITORY} 2025-2029")
            cursor -= 30
        canvas.setFont("Helvetica", 11)
        for paragraph in page_paragraphs(page):
            for line in simpleSplit(paragraph, "Helvetica", 11, WIDTH):
                canvas.drawString(LEFT, cursor, line)
                printed.append(Line(line, page, LEFT, A4[1] - cursor, 11))
                cursor -= 15
            cursor -= 12
        canvas.showPage()
    canvas.save()
    return printed
