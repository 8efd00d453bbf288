"""A synthetic corpus of Contrats Locaux de Santé, for benchmarks: as many contracts and pages as asked.

Each contract is a PDF written with reportlab: a title, parties, preamble, diagnostic, governance,
then strategic axes and numbered action sheets ("Fiche action n°3 : …") with objectives, public,
partners, calendar, budget and indicators, until the requested page count is filled. Every page
carries a repeated header, a footer and its number "k / M", as real contracts do, so cleaning has
work. The French text is composed from the vocabulary of the CLS domain (no lorem ipsum), with
fictitious territories. Everything is deterministic for a given seed, down to the PDF bytes.

    python -m bench.synthetic OUT --contracts 4 --pages 8 [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

# --- Vocabulary -------------------------------------------------------------------------------

TERRITORY_KINDS = [
    ("Communauté de communes", "CC", "la"),
    ("Communauté d’agglomération", "CA", "la"),
    ("Pôle d’équilibre territorial et rural", "PETR", "le"),
    ("Pays", "Pays", "le"),
]
TERRITORY_PREFIXES = ["du Val de", "du Pays de", "des Coteaux de", "du Bocage de", "de la Plaine de",
                      "des Rives de"]
TOWNS = ["Brècheville", "Montaurel", "Sainte-Orvanne", "Vaudrimont", "Saint-Léger-des-Prés",
         "Hautebruyère", "Clairefontaine-sur-Dives", "Morvanchel", "Les Aulnaies", "Roncevault",
         "Saint-Aubin-la-Lande", "Fleurmont", "Bréauté-le-Vieux", "Courtemanche"]

# (long form with article, short form)
PARTNERS = [
    ("l’Agence Régionale de Santé (ARS) de Normandie", "l’ARS"),
    ("la Caisse Primaire d’Assurance Maladie (CPAM)", "la CPAM"),
    ("la Caisse d’Allocations Familiales (CAF)", "la CAF"),
    ("le Département", "le Département"),
    ("la Préfecture", "la Préfecture"),
    ("la Mutualité Sociale Agricole (MSA)", "la MSA"),
    ("le Centre Communal d’Action Sociale (CCAS)", "le CCAS"),
    ("la Communauté Professionnelle Territoriale de Santé (CPTS)", "la CPTS"),
    ("l’Éducation nationale", "l’Éducation nationale"),
    ("la Mission locale", "la Mission locale"),
    ("l’Instance Régionale d’Éducation et de Promotion de la Santé (IREPS)", "l’IREPS"),
    ("le service de Protection Maternelle et Infantile (PMI)", "la PMI"),
    ("le Centre Médico-Psychologique (CMP)", "le CMP"),
    ("le Conseil Local de Santé Mentale (CLSM)", "le CLSM"),
    ("l’Observatoire Régional de la Santé et du Social (OR2S)", "l’OR2S"),
    ("la Région Normandie", "la Région"),
    ("le centre hospitalier de proximité", "le centre hospitalier"),
    ("la maison de santé pluriprofessionnelle", "la MSP"),
]
FUNDERS = ["ARS", "CPAM", "CAF", "Département", "Région", "MSA", "Intercommunalité", "Conférence des financeurs"]

AXES = {
    "Améliorer l’accès aux soins et l’attractivité du territoire pour les professionnels de santé": [
        "Accueillir les internes et les jeunes médecins sur le territoire",
        "Déployer la téléconsultation dans les communes rurales",
        "Soutenir le projet de maison de santé pluriprofessionnelle de {ville}",
        "Organiser un transport solidaire vers les lieux de soins",
        "Faciliter l’accès aux droits de santé des personnes précaires",
    ],
    "Promouvoir la santé mentale et prévenir la souffrance psychique": [
        "Former les acteurs de première ligne aux premiers secours en santé mentale",
        "Installer un Conseil Local de Santé Mentale",
        "Prévenir le suicide chez les jeunes et les exploitants agricoles",
        "Organiser les Semaines d’information sur la santé mentale",
    ],
    "Développer la prévention et la promotion de la santé à tous les âges de la vie": [
        "Augmenter la participation aux dépistages organisés des cancers",
        "Promouvoir la vaccination auprès des familles",
        "Développer l’activité physique adaptée",
        "Promouvoir une alimentation équilibrée dans la restauration scolaire",
        "Sensibiliser à la santé sexuelle et affective",
    ],
    "Favoriser un environnement favorable à la santé": [
        "Lutter contre l’habitat indigne et le risque d’exposition au plomb",
        "Améliorer la qualité de l’air intérieur dans les écoles",
        "Prévenir les risques liés aux tiques et à la maladie de Lyme",
        "Créer des îlots de fraîcheur pour les épisodes de canicule",
    ],
    "Accompagner le vieillissement et la perte d’autonomie": [
        "Repérer la fragilité des personnes âgées vivant à domicile",
        "Prévenir les chutes des personnes âgées",
        "Soutenir les aidants familiaux",
        "Rompre l’isolement des personnes âgées",
    ],
    "Réduire les conduites addictives": [
        "Prévenir les consommations d’alcool et de cannabis chez les jeunes",
        "Accompagner l’arrêt du tabac",
        "Labelliser des espaces sans tabac",
        "Former les professionnels au repérage précoce et à l’intervention brève",
    ],
    "Soutenir la santé des enfants, des jeunes et des familles": [
        "Développer les compétences psychosociales des enfants",
        "Prévenir le surpoids et l’obésité infantile",
        "Renforcer le dépistage des troubles du langage",
        "Soutenir la parentalité",
    ],
    "Lutter contre les inégalités sociales et territoriales de santé": [
        "Déployer la médiation en santé dans les quartiers prioritaires",
        "Améliorer l’accès aux soins des personnes allophones",
        "Accompagner les personnes en situation de handicap vers la prévention",
        "Renforcer l’accès aux soins bucco-dentaires",
    ],
}

PUBLICS = [
    "les jeunes de 12 à 25 ans", "les personnes âgées de plus de 75 ans vivant à domicile",
    "les familles monoparentales", "les habitants des quartiers prioritaires de la politique de la ville",
    "les exploitants agricoles et leurs familles", "les professionnels de santé libéraux",
    "les élèves des écoles élémentaires", "les personnes en situation de précarité",
    "les aidants familiaux", "les femmes enceintes et jeunes parents",
    "les personnes en situation de handicap", "les bénéficiaires du revenu de solidarité active",
    "les collégiens et lycéens", "les salariés des petites entreprises",
]
FINDINGS = [
    "une densité de médecins généralistes inférieure de {pct} % à la moyenne régionale",
    "une surmortalité prématurée évitable, notamment par cancers et maladies cardiovasculaires",
    "un recours au dépistage organisé du cancer du sein inférieur à la moyenne nationale",
    "une part importante de personnes âgées vivant seules à leur domicile",
    "un taux d’hospitalisation pour tentative de suicide supérieur à la moyenne normande",
    "des consommations d’alcool plus fréquentes chez les jeunes que dans le reste de la région",
    "un temps d’accès aux soins spécialisés supérieur à quarante minutes pour {pct} % des communes",
    "une proportion élevée de logements anciens susceptibles de contenir des peintures au plomb",
    "une couverture vaccinale contre la rougeole encore insuffisante chez les enfants",
    "un nombre croissant de médecins généralistes âgés de plus de 60 ans",
    "un taux de bénéficiaires de la complémentaire santé solidaire de {pct} %",
    "une prévalence du diabète plus élevée que la moyenne nationale",
]
NEEDS = [
    "la nécessité de mieux se connaître entre acteurs du soin, du social et de la prévention",
    "le manque de lisibilité de l’offre de soins pour les habitants",
    "la difficulté croissante de trouver un médecin traitant",
    "l’isolement des professionnels exerçant seuls en milieu rural",
    "le besoin d’outils de communication partagés entre les partenaires",
    "l’intérêt d’aller au-devant des publics qui ne fréquentent pas les structures de soins",
]
VERBS = [
    "organiser des ateliers collectifs", "mettre en place des permanences de proximité",
    "coordonner les interventions de prévention", "diffuser une information claire et accessible",
    "former les professionnels du territoire", "recenser les ressources existantes",
    "animer un réseau d’acteurs locaux", "conduire des actions d’aller-vers",
    "relayer les campagnes nationales de prévention", "accompagner les porteurs de projets",
]
OBJECTIVES = [
    "réduire les inégalités d’accès à la prévention", "renforcer le repérage précoce des situations à risque",
    "améliorer le parcours de santé des habitants", "favoriser le maintien à domicile dans de bonnes conditions",
    "développer le pouvoir d’agir des habitants sur leur santé", "rendre l’offre de soins plus lisible",
    "décloisonner les pratiques professionnelles", "prévenir les ruptures de parcours",
]
INDICATORS = [
    "nombre d’ateliers réalisés", "nombre de participants", "taux de satisfaction des participants",
    "nombre de professionnels formés", "taux de participation au dépistage",
    "nombre de partenaires mobilisés", "nombre d’orientations vers un professionnel de santé",
    "évolution du nombre de médecins installés", "nombre de communes couvertes",
]
FREQUENCIES = ["deux fois par an", "chaque trimestre", "une fois par an", "tous les deux mois"]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]
FIRST_NAMES = ["Claire", "Thomas", "Nathalie", "Julien", "Isabelle", "Marc", "Sophie", "Olivier",
               "Camille", "Pierre", "Élodie", "François"]
LAST_NAMES = ["Lefèvre", "Morel", "Duval", "Lemoine", "Garnier", "Marchand", "Leroux", "Picard",
              "Hébert", "Lecoq", "Vautier", "Delaunay"]

SENTENCES = [
    "Le diagnostic local de santé réalisé par l’OR2S en {year0} met en évidence {finding}.",
    "Sur le territoire {terr}, on observe {finding}, ce qui justifie l’inscription de cette priorité au contrat.",
    "{Partner} s’engage à {verb} en direction {public_des}.",
    "Cette action vise à {objective} et s’appuie sur les ressources déjà présentes à {ville}.",
    "Le budget prévisionnel s’élève à {amount} €, dont {amount2} € financés par {partner_short}.",
    "Un premier bilan sera présenté au comité de pilotage le {date}.",
    "La coordinatrice du CLS réunit les partenaires {freq} afin de suivre l’avancement des actions.",
    "En {year0}, {number} personnes ont bénéficié de cette démarche, soit une hausse de {pct} % par rapport à l’année précédente.",
    "Les professionnels rencontrés lors des groupes de travail soulignent {need}.",
    "Le contrat s’inscrit dans les orientations du Projet Régional de Santé de Normandie et du Plan régional santé environnement.",
    "La commune de {ville} met à disposition une salle pour les permanences, chaque {weekday} matin.",
    "{Partner} apporte son expertise méthodologique et participe au comité technique.",
    "L’action sera évaluée à partir d’indicateurs de processus et de résultat définis avec {partner_short}.",
    "Une attention particulière sera portée {public_aux}, dont les besoins sont les plus marqués.",
    "Il s’agit notamment {de_verb} et {de_verb2}, en lien étroit avec {partner}.",
    "Les habitants ont été associés à la démarche lors de {number_small} réunions publiques organisées entre {month} et {month2} {year0}.",
    "{Partner} et {partner2} conviennent de mutualiser leurs moyens pour {objective}.",
    "Les retours des partenaires montrent que les dispositifs de prévention touchent encore peu {public}.",
]


# --- Text composition -------------------------------------------------------------------------


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _de(text: str) -> str:
    """'de' before `text`, elided before a vowel: "d’animer", "de former", "d’octobre"."""
    return ("d’" if text[:1].lower() in "aeiouyhéèêàâîôû" else "de ") + text


def _french_number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


class _Writer:
    """Composes the French text of one contract (or of free passages) from a seeded generator."""

    def __init__(self, rng: random.Random, territory: dict[str, str]) -> None:
        self.rng = rng
        self.t = territory

    def date(self, first_year: int = 2025, last_year: int = 2029) -> str:
        r = self.rng
        return f"{r.randint(1, 28)} {r.choice(MONTHS)} {r.randint(first_year, last_year)}"

    def amount(self, low: int = 4, high: int = 300) -> str:
        return _french_number(self.rng.randint(low, high) * 500)

    def sentence(self) -> str:
        r = self.rng
        public = r.choice(PUBLICS)
        partner, partner_short = r.choice(PARTNERS)
        partner2 = r.choice([p for p, _ in PARTNERS if p != partner])
        verb, verb2 = r.sample(VERBS, 2)
        month, month2 = sorted(r.sample(range(12), 2))
        values = {
            "year0": r.randint(2019, 2024),
            "finding": r.choice(FINDINGS).format(pct=r.randint(8, 45)),
            "terr": self.t["of"],
            "Partner": _cap(partner),
            "partner": partner,
            "partner2": partner2,
            "partner_short": partner_short,
            "verb": verb,
            "verb2": verb2,
            "de_verb": _de(verb),
            "de_verb2": _de(verb2),
            "public": public,
            "public_des": "des " + public.removeprefix("les "),
            "public_aux": "aux " + public.removeprefix("les "),
            "objective": r.choice(OBJECTIVES),
            "ville": self.t["town"],
            "amount": self.amount(20, 400),
            "amount2": self.amount(4, 20),
            "date": self.date(),
            "freq": r.choice(FREQUENCIES),
            "number": _french_number(r.randint(40, 2400)),
            "number_small": r.choice(["deux", "trois", "quatre", "cinq", "six"]),
            "pct": r.randint(5, 40),
            "need": r.choice(NEEDS),
            "weekday": r.choice(WEEKDAYS),
            "month": MONTHS[month],
            "month2": MONTHS[month2],
        }
        return r.choice(SENTENCES).format(**values)

    def paragraph(self, low: int = 3, high: int = 6) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"


def _territory(rng: random.Random, index: int, taken: set[str]) -> dict[str, str]:
    for _ in range(1000):
        kind, abbreviation, article = rng.choice(TERRITORY_KINDS)
        prefix, town = rng.choice(TERRITORY_PREFIXES), rng.choice(TOWNS)
        name = f"{kind} {prefix} {town}"
        if name not in taken:
            break
    else:  # more contracts than combinations: number the sectors
        name = f"{name} (secteur {index + 1})"
    taken.add(name)
    short = f"{prefix} {town}"
    return {
        "name": name,
        "kind": kind,
        "the": f"{article} {kind} {prefix} {town}",  # "la Communauté de communes du Val de …"
        "abbreviation": abbreviation,
        "short": short,  # "du Val de Brècheville"
        "of": short,  # "le territoire du Val de Brècheville"
        "town": town,
    }


# --- Document structure -----------------------------------------------------------------------

Block = tuple[str, str]
"""(style, text): style is one of STYLES below."""


def _contract_blocks(w: _Writer) -> Iterator[Block]:
    """The contract's blocks in reading order; endless (action sheets go on as long as needed)."""
    t, r = w.t, w.rng
    yield "title", "Contrat Local de Santé 2025-2029"
    yield "subtitle", t["name"]
    parties = r.sample(PARTNERS[1:8], 3)
    yield "p", (
        f"Entre l’Agence Régionale de Santé de Normandie, {t['the']}, "
        + ", ".join(long for long, _ in parties)
        + f", il est convenu ce qui suit. Le présent contrat est conclu pour une durée de cinq ans "
        f"à compter de sa signature, le {w.date(2025, 2025)}."
    )
    yield "h1", "Préambule"
    yield "p", (
        "Le Contrat Local de Santé est un outil porté conjointement par l’Agence Régionale de Santé et "
        "une collectivité territoriale pour réduire les inégalités territoriales et sociales de santé. "
        + w.paragraph(2, 3)
    )
    yield "h1", "1. Diagnostic territorial"
    habitants = _french_number(r.randint(12, 95) * 1000)
    yield "p", (
        f"Le territoire {t['of']} compte {habitants} habitants répartis dans {r.randint(18, 64)} "
        f"communes, autour de la ville-centre de {t['town']}. " + w.paragraph(2, 4)
    )
    yield "h1", "2. Gouvernance"
    yield "p", (
        f"Le comité de pilotage réunit {w.rng.choice(FREQUENCIES)} les signataires du contrat. "
        f"Le comité technique, animé par la coordinatrice du CLS, {w.person()}, prépare ses décisions. "
        + w.paragraph(1, 2)
    )
    yield "h1", "3. Axes stratégiques et fiches actions"
    axes = list(AXES)
    r.shuffle(axes)
    sheet = 0
    for round_ in range(10**6):
        for axis_number, axis in enumerate(axes, start=1 + round_ * len(axes)):
            yield "h2", f"Axe stratégique {axis_number} : {axis}"
            yield "p", w.paragraph(2, 3)
            titles = r.sample(AXES[axis], r.randint(2, 3))
            for title in titles:
                sheet += 1
                yield from _action_sheet(w, sheet, axis_number, title.format(ville=t["town"]))


def _action_sheet(w: _Writer, number: int, axis_number: int, title: str) -> Iterator[Block]:
    r = w.rng
    pilot_long, pilot_short = r.choice(PARTNERS)
    yield "h3", f"Fiche action n°{number} : {title}"
    yield "p", f"Axe stratégique {axis_number}. Pilote de l’action : {pilot_long}."
    yield "label", "Contexte et enjeux"
    yield "p", w.paragraph(3, 5)
    yield "label", "Objectifs opérationnels"
    for objective in r.sample(OBJECTIVES, 3):
        yield "bullet", _cap(objective) + f" d’ici {r.randint(2026, 2029)}."
    yield "label", "Public cible"
    yield "p", _cap(", ".join(r.sample(PUBLICS, 2))) + f", sur l’ensemble du territoire {w.t['of']}."
    yield "label", "Partenaires"
    yield "p", _cap(", ".join(long for long, _ in r.sample(PARTNERS, 4))) + "."
    yield "label", "Calendrier"
    start_year = r.randint(2025, 2027)
    yield "p", (
        f"{_cap(_de(r.choice(MONTHS)))} {start_year} à {r.choice(MONTHS)} {start_year + r.randint(1, 3)} ; "
        f"point d’étape au comité de pilotage le {w.date(start_year + 1, start_year + 1)}."
    )
    yield "label", "Budget prévisionnel"
    funders = r.sample(FUNDERS, 2)
    yield "p", (
        f"{w.amount(10, 200)} € sur la durée du contrat ({funders[0]} : {w.amount(4, 60)} € ; "
        f"{funders[1]} : {w.amount(2, 30)} €). " + w.sentence()
    )
    yield "label", "Indicateurs d’évaluation"
    yield "p", _cap(" ; ".join(r.sample(INDICATORS, 3))) + "."


# --- PDF layout -------------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 2.2 * cm
WIDTH = PAGE_WIDTH - 2 * LEFT
TOP = PAGE_HEIGHT - 2.6 * cm
BOTTOM = 2.4 * cm
BULLET_INDENT = 14
# style: (font, size, leading, space before, space after)
STYLES = {
    "title": ("Helvetica-Bold", 20, 26, 40, 6),
    "subtitle": ("Helvetica-Bold", 14, 18, 0, 24),
    "h1": ("Helvetica-Bold", 14, 18, 14, 6),
    "h2": ("Helvetica-Bold", 12, 16, 12, 5),
    "h3": ("Helvetica-Bold", 11, 14, 10, 4),
    "label": ("Helvetica-Bold", 10, 13, 4, 2),
    "p": ("Helvetica", 10, 13, 0, 6),
    "bullet": ("Helvetica", 10, 13, 0, 2),
}
HEADINGS = {"title", "subtitle", "h1", "h2", "h3", "label"}


def _render(path: Path, blocks: Iterator[Block], pages: int, header: tuple[str, str],
            footer: str, info: dict[str, str]) -> None:
    canvas = Canvas(str(path), pagesize=A4, invariant=1)  # invariant: same bytes for the same seed
    canvas.setTitle(info["title"])
    canvas.setAuthor(info["author"])
    canvas.setSubject(info["subject"])
    page, cursor = 1, TOP

    def start_page() -> None:
        canvas.setFont("Helvetica", 8)
        canvas.setFillGray(0.35)
        canvas.drawString(LEFT, PAGE_HEIGHT - 1.5 * cm, header[0])
        canvas.drawRightString(LEFT + WIDTH, PAGE_HEIGHT - 1.5 * cm, header[1])
        canvas.setStrokeGray(0.6)
        canvas.line(LEFT, PAGE_HEIGHT - 1.7 * cm, LEFT + WIDTH, PAGE_HEIGHT - 1.7 * cm)
        canvas.setFillGray(0)

    def end_page() -> None:
        canvas.setFont("Helvetica", 8)
        canvas.setFillGray(0.35)
        canvas.drawString(LEFT, 1.4 * cm, footer)
        canvas.drawRightString(LEFT + WIDTH, 1.4 * cm, f"{page} / {pages}")
        canvas.showPage()

    start_page()
    for style, text in blocks:
        font, size, leading, before, after = STYLES[style]
        indent = BULLET_INDENT if style == "bullet" else 0
        lines = simpleSplit(text, font, size, WIDTH - indent)
        if cursor < TOP:
            cursor -= before
        # A heading stays with at least two lines of what follows it.
        if style in HEADINGS and cursor - leading * len(lines) - 2 * 13 < BOTTOM:
            cursor = BOTTOM
        for number, line in enumerate(lines):
            if cursor - leading < BOTTOM:
                end_page()
                if page == pages:
                    canvas.save()
                    return
                page, cursor = page + 1, TOP
                start_page()
            canvas.setFont(font, size)
            baseline = cursor - size
            if style == "bullet" and number == 0:
                canvas.drawString(LEFT, baseline, "–  " + line)
            else:
                canvas.drawString(LEFT + indent, baseline, line)
            cursor -= leading
        cursor -= after
    raise AssertionError("the block stream is endless")  # pragma: no cover


# --- Public API -------------------------------------------------------------------------------


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def generate_corpus(folder: Path | str, contracts: int = 4, pages: int = 8, seed: int = 0) -> list[Path]:
    """Write `contracts` CLS PDFs of exactly `pages` pages each into `folder`; returns their paths."""
    if contracts < 1 or pages < 1:
        raise ValueError("contracts and pages must be at least 1")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    corpus_rng = random.Random(f"cls-corpus:{seed}")
    taken: set[str] = set()
    paths = []
    for index in range(contracts):
        rng = random.Random(f"cls-contract:{seed}:{index}")
        territory = _territory(corpus_rng, index, taken)
        writer = _Writer(rng, territory)
        signed = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        name = f"{_slug(territory['abbreviation'] + ' ' + territory['short'])}_{signed}_cls-2025-2029.pdf"
        path = folder / name
        title = f"Contrat Local de Santé 2025-2029 — {territory['name']}"
        _render(
            path,
            _contract_blocks(writer),
            pages,
            header=(f"Contrat Local de Santé 2025-2029 {territory['short']}", territory["name"]),
            footer=f"CLS {territory['abbreviation']} {territory['short']} — version signée",
            info={"title": title, "author": territory["name"], "subject": "Contrat Local de Santé"},
        )
        paths.append(path)
    return paths


def synthetic_chunk_texts(n: int, seed: int = 0, chars: int = 1000) -> list[str]:
    """`n` French CLS passages of about `chars` characters each, for benchmarks that skip parsing."""
    rng = random.Random(f"cls-chunks:{seed}")
    texts = []
    for index in range(n):
        writer = _Writer(rng, _territory(rng, index, set()))
        axis = rng.choice(list(AXES))
        passage = f"Fiche action n°{rng.randint(1, 30)} : {rng.choice(AXES[axis]).format(ville=writer.t['town'])}\n\n"
        while len(passage) < chars * 0.97:
            passage += writer.sentence() + " "
        texts.append(passage.strip())
    return texts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Génère un corpus synthétique de CLS en PDF.")
    parser.add_argument("out", type=Path, help="dossier où écrire les PDF")
    parser.add_argument("--contracts", type=int, default=4)
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    for path in generate_corpus(args.out, args.contracts, args.pages, args.seed):
        print(path)


if __name__ == "__main__":
    main()
