"""A store mixing the public sample corpus with internal documents holding distinctive secrets.

Used by the access-control and sign-in tests: a public user must never see the secrets, ARS staff must.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ingest.pipeline import Ingestor
from tests.conftest import CORPUS, MANIFEST, make_settings

INTERNAL = {
    "note-interne-dieppe.md": """# Note interne : refonte du CLS de Dieppe

Le code projet ZX-4471 désigne la refonte du contrat local de santé de Dieppe.
Le budget confidentiel de la refonte est de 845 312 euros sur trois ans.
La référente du projet est Mme Albertine Quesnoy-Varlet, cheffe de projet à la délégation.

## Calendrier

Le comité restreint se réunira le 9 octobre 2026 pour arbitrer la fusion des fiches actions
santé mentale et addictions du CLS de Dieppe.
""",
    "compte-rendu-confidentiel.txt": """Compte rendu confidentiel de la réunion du 14 février 2026 à Lisieux

Le projet Kestrel-Ouest prévoit une maison de santé pluriprofessionnelle à Lisieux.
L'enveloppe réservée au projet Kestrel-Ouest est de 1 276 904 euros, sous le code ZX-9032.
Les élus de Lisieux n'ont pas encore été informés de ce montant.
""",
    "arbitrage-interne.md": """---
title: Arbitrage interne sur le CLS de Pont-Audemer
visibility: internal
date: 2026-01-12
---

# Arbitrage interne sur le CLS de Pont-Audemer

Le dossier QW-5518 concerne le renouvellement du contrat local de santé de Pont-Audemer.
La délégation propose un financement de 2 418 775 euros pour la coordination et la prévention.
Le coordinateur pressenti est M. Octave Belmont-Rivière.
""",
}
SECRETS = ["ZX-4471", "845 312", "Quesnoy", "Albertine", "9 octobre 2026", "Kestrel",
           "1 276 904", "ZX-9032", "QW-5518", "2 418 775", "Belmont", "Octave"]
"""Strings found only in the internal documents."""


def build_mixed_store(root: Path, embeddings):
    """The sample corpus (public) plus INTERNAL: two marked `internal` by the manifest, one by its front matter."""
    folder = root / "docs"
    folder.mkdir()
    for path in CORPUS.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    for name, text in INTERNAL.items():
        (folder / name).write_text(text, encoding="utf-8")
    manifest = root / "manifest.csv"
    with MANIFEST.open(encoding="utf-8") as source, manifest.open("w", encoding="utf-8", newline="") as out:
        rows = list(csv.DictReader(source))
        writer = csv.DictWriter(out, [*rows[0], "visibility"])
        writer.writeheader()
        writer.writerows(rows)  # no visibility: public by default
        for name in ("note-interne-dieppe.md", "compte-rendu-confidentiel.txt"):
            writer.writerow({"file": name, "visibility": "internal", "publisher": "ARS Normandie"})
    settings = make_settings(root / "data")
    report = Ingestor(settings, embeddings).run([folder], manifest=manifest)
    assert report.failed == [] and len(report.added) == 8
    return settings


