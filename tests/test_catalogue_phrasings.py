"""The catalogue on phrasings of real press releases, written here for fictional territories and
read through the real ingestion (embeddings, Chroma): several CLS named in one sentence, a list
of signing parties before the verb, a renewal, an implementing convention signed after the
contract, a section per CLS with a dated lead, an attendance list, a plan's heading over its
axes, a contract's last year or its duration in words, and a neighbouring scheme that is no CLS."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.catalogue import load_catalogue
from assistant.evaluation import normalize
from ingest.pipeline import Ingestor
from tests.conftest import make_settings

TODAY = date(2026, 6, 1)


def page(title: str, publisher: str, when: str, territory: str, body: str) -> str:
    return (f'---\ntitle: "{title}"\npublisher: "{publisher}"\ndate: "{when}"\ndoc_type: "press_release"\n'
            f'territory: "{territory}"\n---\n# {title}\n\n{body}\n')


PAGES = {
    "ars_trois-cls.md": page(
        "Trois contrats locaux de santé signés dans le Gers", "ARS Occitanie", "2025-10", "Occitanie",
        "Les contrats locaux de santé de la Communauté de communes du Val de Rieutort, du Pays des Coteaux "
        "d'Arzac et de la Ville de Lescaure ont été signés ce jeudi 12 juin 2025 à Auch.\n\n"
        "L'ARS Occitanie accompagne les territoires dans leur démarche de santé.\n\n"
        "Le contrat local de santé (CLS) de deuxième génération du Pays de Quimerch a été signé le 8 avril 2025.\n\n"
        "Le CLS3 de la Communauté de communes du Mont Sarrel a été signé le 3 sept 2025 pour cinq années."),
    "belcastel_reconduction.md": page(
        "La prévention au cœur du contrat local de santé", "Ville de Belcastel-les-Pins", "2021-03",
        "Belcastel-les-Pins",
        "Mardi 9 mars 2021, la Ville de Belcastel-les-Pins, l'ARS Provence-Alpes-Côte d'Azur et la Préfecture "
        "du Var ont reconduit le contrat local de santé signé en 2016.\n\n"
        "Le contrat est conclu jusqu'en 2026. Trois enjeux stratégiques structurent le contrat : la prévention "
        "des chutes, l'accès aux soins dentaires, la santé des aidants."),
    "ars_iles.md": page(
        "Le contrat local de santé des îles de Kerlann entre en action", "ARS Bretagne", "2019-09",
        "îles de Kerlann",
        "Samedi 7 septembre, Tréven a signé la dernière convention de mise en œuvre du contrat local de santé "
        "des îles de Kerlann.\n\n"
        "L'association des îles de Kerlann et l'ARS Bretagne avaient, dès avril 2018, conclu le contrat socle "
        "du contrat local de santé des îles de Kerlann."),
    "ars_deux-communes.md": page(
        "Montvert et Saint-Arnoult signent leur contrat local de santé", "ARS Martinique", "2025-05",
        "Montvert et Saint-Arnoult",
        "Les communes de Montvert et de Saint-Arnoult renforcent leur engagement avec la signature de leur "
        "contrat local de santé.\n\n"
        "Montvert : une stratégie locale autour de la prévention\n\n"
        "Le 12 mai 2025, la commune de Montvert a officialisé la signature de son contrat local de santé (CLS).\n\n"
        "Saint-Arnoult : un engagement pour l'accès aux soins\n\n"
        "Le 15 mai 2025, la ville de Saint-Arnoult a"),
    "sorbier_signature.md": page(
        "Contrat local de santé du Grand Sorbier", "Communauté de communes du Grand Sorbier", "2024-02",
        "Communauté de communes du Grand Sorbier",
        "Les communautés de communes du Grand Sorbier, du Haut-Lignon et du Val d'Ance se sont réunies le 6 "
        "février 2024 pour signer le contrat local de santé.\n"
        "En présence de Monsieur Paul Ardan, Président du PETR Pays des Trois Rivières, et de Madame Lise Morin, "
        "Directrice de l'ARS Auvergne-Rhône-Alpes, ce dispositif vise à déployer un projet de santé partagé.\n"
        "Le plan pour 2024-2028\n"
        "- Accès aux soins de premier recours\n"
        "- Santé mentale des jeunes\n"
        "- Bien vieillir à domicile\n"
        "Les axes de travail prioritaires pour 2024\n"
        "- Recruter un médecin coordinateur\n"
        "- Ouvrir une maison sport santé\n\n"
        "Le contrat est signé pour une période de cinq ans."),
    "ars_fiche.md": page(
        "Contrat local de santé du Pays de Lorvane", "ARS Normandie", "2024-05", "Normandie",
        "Territoire : Pays de Lorvane\nDate de signature : 14 mars 2024\nPériode : 2024-2028\n"
        "Signataires : ARS Normandie, Préfecture de l'Orne, CPAM de l'Orne\n\n"
        "Le contrat local de santé de la Communauté de communes des Collines d'Aulnay a été signé par la "
        "Communauté de communes des Collines d'Aulnay, l'ARS Normandie et la MSA Côtes Normandes le 3 mai 2023."),
    "ars_liste.md": page(
        "Les contrats locaux de santé en Bourgogne-Franche-Comté", "ARS Bourgogne-Franche-Comté", "2024-09",
        "Bourgogne-Franche-Comté",
        "Les CLS signés en 2024 :\n- CLS de la Communauté de communes des Monts Vernois (signé le 3 mars 2024)\n"
        "- CLS du Pays de la Haute Sorne (signé le 12 avril 2024)\n\n"
        "La Communauté de communes du Val Terrasson, qui a signé son contrat local de santé le 5 mai 2023, "
        "prépare déjà son évaluation.\n\n"
        "Le CLS du Pays de la Haute Sorne a été signé avec la CPAM, l'UDAF et la MSA."),
    "ars_plan-regional.md": page(
        "Signature du CLS de la Communauté de communes du Haut Tarnier", "ARS Occitanie", "2024-09", "Occitanie",
        "Le contrat local de santé de la Communauté de communes du Haut Tarnier a été signé le 4 septembre 2024.\n\n"
        "Il décline localement le Projet régional de santé 2023-2028 de l'ARS Occitanie."),
    "ars_guadeloupe.md": page(
        "Les contrats locaux de santé", "ARS Guadeloupe, Saint-Martin, Saint-Barthélemy", "2024-03",
        "Guadeloupe, Saint-Martin et Saint-Barthélemy",
        "En Guadeloupe, Saint-Martin et Saint-Barthélemy, l'ARS accompagne les communes dans leur contrat local "
        "de santé.\n\n"
        "Le contrat local de santé de la Ville de Morne-Vert a été signé le 2 février 2024."),
    "ars_actualites.md": page(
        "Actualités santé", "ARS Nouvelle-Aquitaine", "2024-01", "Nouvelle-Aquitaine",
        "## Saint-Virieu\n\nLe Département de la Haute-Vienne, la ville de Saint-Virieu et l'ARS Nouvelle-Aquitaine "
        "ont signé le 8 janvier 2024 le contrat local de santé.\n\n"
        "## Autres territoires\n\n"
        "Signé le 20 novembre 2023, le CLS de la Communauté de communes des Deux Rives de l'Auzon couvre la "
        "période 2023-2027.\n\n"
        "Le Contrat Local de Santé de Saint-Aulaye-des-Monts 2024-2028 a été signé le 10 janvier 2024 par la "
        "commune et l'ARS."),
    "val-sorin_preparation.md": page(
        "Vers un contrat local de santé", "Communauté de communes du Val Sorin", "2025-01",
        "Communauté de communes du Val Sorin",
        "La Communauté de communes du Val Sorin a lancé l'élaboration de son contrat local de santé avec l'appui de "
        "l'ARS Grand Est. Un diagnostic partagé sera conduit en 2025."),
    "ars_elus.md": page(
        "Signature de deux contrats locaux de santé", "ARS Hauts-de-France", "2024-04", "Hauts-de-France",
        "M. Jean Dufresne, président de la Communauté de communes du Val de Sélune, et Mme Anne Roche, directrice "
        "générale de l'ARS Hauts-de-France, ont signé le contrat local de santé le 4 avril 2024. La CCVS a signé "
        "son premier contrat local de santé.\n\n"
        "Le 10 avril 2024, Mme Lucie Parant, maire de Fresnoy-le-Bourg, et le préfet de l'Aisne ont signé le "
        "contrat local de santé de la commune."),
    "rivebelle_cls.md": page(
        "Contrat local de santé", "Ville de Rivebelle", "2024", "Rivebelle",
        "Le contrat local de santé de la Ville de Rivebelle, du Département et de l'ARS a été signé le 2 mai 2024."),
    "ars_orgues.md": page(
        "Un contrat pour la santé de tous", "ARS Bourgogne-Franche-Comté", "2024-02",
        "Communauté de communes de la Vallée des Orgues",
        "Le contrat local de santé (CLS) met la santé au cœur du projet de territoire. Il comporte 4 axes "
        "stratégiques et se décline en 18 fiches actions.\n\n"
        "- Axe n°1 : Faciliter l'accès aux soins de premier recours\n"
        "- Axe n°2 : Prévenir les conduites addictives chez les jeunes\n"
        "- Axe n°3 : Soutenir les aidants familiaux"),
    "agglo_engagement.md": page(
        "L'Agglo renouvelle son engagement pour la santé", "Communauté d'agglomération du Val de Serre", "2024",
        "Communauté d'agglomération du Val de Serre",
        "En 2019, l'Agglomération a signé son premier contrat local de santé (CLS).\n\n"
        "Cette démarche partenariale est portée par l'Agence régionale de santé (ARS), l'Agglo et les acteurs "
        "de santé du territoire.\n\n"
        "Le programme est décliné en 3 enjeux stratégiques : prévenir l'isolement des aînés, aller vers les "
        "habitants des hameaux, attirer de jeunes médecins.\n\n"
        "Exemples d'actions :\n\nAxe 1 :\n- ouvrir un café des aidants\n- créer un annuaire des services\n\n"
        "Axe 2 :\n- déployer un bus de prévention dans les hameaux"),
    "portavecchia_cls.md": page(
        "Santé : la ville et l'agence régionale avancent ensemble", "Ville de Portavecchia", "2022-05",
        "Portavecchia",
        "La Ville de Portavecchia et l'Agence régionale de santé de Corse (ARS) ont uni leurs forces pour "
        "élaborer un contrat local de santé.\n\n"
        "Le contrat local de santé de Portavecchia a été signé le 12 mai 2022 en présence du Préfet de "
        "Corse-du-Sud."),
    "ars_cls-explique.md": page(
        "Qu'est-ce qu'un contrat local de santé ?", "ARS Grand Est", "2024", "Grand Est",
        "Un contrat local de santé comporte souvent 4 axes stratégiques.\n\n"
        "- Axe n°1 : Coordonner les acteurs\n- Axe n°2 : Prévenir les maladies chroniques"),
    "ornay_signature.md": page(
        "Signature du contrat local de santé 2025-2029", "Communauté de communes du Val d'Ornay", "2025-03",
        "Communauté de communes du Val d'Ornay",
        "mardi 4 mars 2025\n\n"
        "La signature du nouveau contrat local de santé 2025-2029 de la Communauté de communes du Val d'Ornay "
        "prolonge cinq années de travail avec l'ARS."),
    "clsm_rocheval.md": page(
        "Signature du contrat local de santé mentale de Rocheval", "Ville de Rocheval", "2023-11", "Rocheval",
        "La Ville de Rocheval et l'ARS Bretagne ont signé le contrat local de santé mentale le 20 novembre 2023."),
    "clsm_brenne.md": page(
        "Lancement du conseil local de santé mentale du Pays de la Sauldre", "ARS Centre-Val de Loire",
        "2024-05", "Pays de la Sauldre",
        "Le conseil local de santé mentale (CLSM) du Pays de la Sauldre a été installé le 14 mai 2024. Il "
        "s'articule avec le contrat local de santé du territoire, dont le comité de pilotage reste distinct."),
}


@pytest.fixture(scope="module")
def phrasings(embeddings, tmp_path_factory):
    folder = tmp_path_factory.mktemp("phrasings")
    for name, text in PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    settings = make_settings(tmp_path_factory.mktemp("phrasings-data") / "data")
    ingestor = Ingestor(settings, embeddings)
    ingestor.run([folder])
    records = load_catalogue(settings, TODAY).records
    stored = ingestor.collection.get(include=["documents"])
    texts = dict(zip(stored["ids"], stored["documents"], strict=True))
    return {normalize(r.name): r for r in records}, texts


def record(records: dict, fragment: str):
    found = [r for name, r in records.items() if fragment in name]
    assert len(found) == 1, (fragment, list(records))
    return found[0]


def values(cited) -> list[str]:
    return [normalize(c.value) for c in cited]


def parties(cited) -> set[str]:
    return {normalize(c.value) for c in cited}


def test_several_cls_named_in_one_sentence(phrasings):
    records, _ = phrasings
    for fragment in ("val de rieutort", "coteaux d arzac", "lescaure"):
        assert record(records, fragment).signed_on.normalized == "2025-06-12"
    assert not any("occitanie" == name for name in records)
    second = record(records, "quimerch")  # the name after « CLS de deuxième génération du … »
    assert second.signed_on.normalized == "2025-04-08" and second.generation.normalized == "2"
    third = record(records, "mont sarrel")  # an abbreviated month, « CLS3 », a duration in « années »
    assert third.signed_on.normalized == "2025-09-03" and third.generation.normalized == "3"
    assert third.period.normalized == "2025-2030"


def test_listed_parties_renew_the_contract(phrasings):
    records, _ = phrasings
    belcastel = record(records, "belcastel")
    assert belcastel.signed_on.normalized == "2021-03-09"
    assert normalize(belcastel.collectivite.value) == "ville de belcastel les pins"
    assert {"ars provence alpes cote d azur", "prefecture du var"} <= parties(belcastel.signatories)
    assert belcastel.period.normalized == "2021-2026"  # « jusqu'en 2026 » with the signature's year
    assert [normalize(a.value) for a in belcastel.axes] == [
        "prevention des chutes", "acces aux soins dentaires", "sante des aidants"]  # « 3 enjeux stratégiques : »


def test_an_implementing_convention_is_not_the_contracts_signature(phrasings):
    records, _ = phrasings
    islands = record(records, "kerlann")
    assert islands.signed_on.normalized == "2018-04"
    assert "ars bretagne" in parties(islands.signatories)
    assert not any("treven" in name for name in parties(islands.signatories))


def test_each_section_of_a_two_cls_page_is_its_own_record(phrasings):
    records, _ = phrasings
    assert record(records, "montvert").signed_on.normalized == "2025-05-12"
    assert record(records, "saint arnoult").signed_on.normalized == "2025-05-15"  # lead cut before its verb


def test_attendance_plan_heading_and_duration(phrasings):
    records, _ = phrasings
    sorbier = record(records, "grand sorbier")
    assert sorbier.signed_on.normalized == "2024-02-06"
    assert {"petr pays des trois rivieres", "ars auvergne rhone alpes"} <= parties(sorbier.signatories)
    assert not any("lignon" in s or "monsieur" in s or "reunies" in s for s in parties(sorbier.signatories))
    assert [normalize(a.value) for a in sorbier.axes] == [
        "acces aux soins de premier recours", "sante mentale des jeunes", "bien vieillir a domicile"]
    assert sorbier.duration.normalized == "5" and sorbier.period.normalized == "2024-2028"  # the plan's years


def test_a_fact_sheet_and_a_passive_signature_by_its_parties(phrasings):
    records, _ = phrasings
    sheet = record(records, "lorvane")
    assert sheet.signed_on.normalized == "2024-03-14" and sheet.period.normalized == "2024-2028"
    assert parties(sheet.signatories) == {"ars normandie", "prefecture de l orne", "cpam de l orne"}
    aulnay = record(records, "collines d aulnay")
    assert aulnay.signed_on.normalized == "2023-05-03"
    assert normalize(aulnay.collectivite.value) == "communaute de communes des collines d aulnay"
    assert parties(aulnay.signatories) == {"ars normandie", "msa cotes normandes"}  # not the sheet's


def test_a_regional_list_of_cls_and_a_relative_clause(phrasings):
    records, _ = phrasings
    assert record(records, "monts vernois").signed_on.normalized == "2024-03-03"
    sorne = record(records, "haute sorne")
    assert sorne.signed_on.normalized == "2024-04-12"
    assert {"cpam", "udaf", "msa"} <= parties(sorne.signatories)  # a bare acronym in the roll too
    terrasson = record(records, "val terrasson")
    assert terrasson.signed_on.normalized == "2023-05-05" and "qui" not in normalize(terrasson.name).split()
    assert not any("bourgogne" in name for name in records)


def test_a_regional_plans_years_are_not_the_contracts(phrasings):
    records, _ = phrasings
    tarnier = record(records, "haut tarnier")
    assert tarnier.signed_on.normalized == "2024-09-04" and tarnier.period is None


def test_an_overseas_ars_page_is_a_publisher_not_a_cls(phrasings):
    records, _ = phrasings
    assert record(records, "morne vert").signed_on.normalized == "2024-02-02"
    assert not any("guadeloupe" in name or "saint martin" in name or "barthelemy" in name for name in records)


def test_an_ars_news_page_of_three_cls(phrasings):
    records, _ = phrasings
    virieu = record(records, "saint virieu")
    assert virieu.signed_on.normalized == "2024-01-08" and normalize(virieu.collectivite.value) == "ville de saint virieu"
    assert {"departement de la haute vienne", "ars nouvelle aquitaine"} <= parties(virieu.signatories)
    auzon = record(records, "deux rives")
    assert auzon.signed_on.normalized == "2023-11-20" and auzon.period.normalized == "2023-2027"
    aulaye = record(records, "aulaye")
    assert aulaye.signed_on.normalized == "2024-01-10" and aulaye.period.normalized == "2024-2028"
    assert not any("aquitaine" in name for name in records)


def test_a_contract_being_prepared(phrasings):
    records, _ = phrasings
    sorin = record(records, "val sorin")
    assert sorin.status == "in_preparation" and sorin.signed_on is None and sorin.period is None


def test_people_sign_for_their_institutions(phrasings):
    records, _ = phrasings
    selune = record(records, "val de selune")
    assert selune.signed_on.normalized == "2024-04-04"
    assert normalize(selune.collectivite.value) == "communaute de communes du val de selune"
    assert parties(selune.signatories) == {"ars hauts de france"}  # not « CCVS », its own acronym
    fresnoy = record(records, "fresnoy")
    assert fresnoy.signed_on.normalized == "2024-04-10" and normalize(fresnoy.collectivite.value) == "fresnoy le bourg"
    for rec in (selune, fresnoy):
        assert not any(person in normalize(c.value) for c in [*rec.signatories, rec.collectivite]
                       for person in ("dufresne", "roche", "parant"))


def test_a_mental_health_council_is_no_cls(phrasings):
    records, _ = phrasings
    assert not any("sauldre" in name or "rocheval" in name for name in records)
    assert record(records, "rivebelle").signed_on.normalized == "2024-05-02"
    assert not any(name in ("departement", "ars") for name in records)  # parties named after « CLS de »


def test_a_territory_only_the_front_matter_names(phrasings):
    records, _ = phrasings
    orgues = record(records, "vallee des orgues")
    assert orgues.territory.source.declared == "territory" and orgues.territory.source.page is None
    assert len(orgues.axes) == 3 and orgues.axes_count.normalized == "4"  # announced, not all listed
    assert not any("grand est" in name for name in records)  # a region's explainer is not a CLS


def test_axis_headings_over_actions_and_a_carried_contract(phrasings):
    records, _ = phrasings
    serre = record(records, "val de serre")
    assert values(serre.axes) == ["prevenir l isolement des aines", "aller vers les habitants des hameaux",
                                  "attirer de jeunes medecins"]
    assert "ouvrir un cafe des aidants" in values(serre.actions)
    assert any("(ars)" in name for name in parties(serre.signatories))


def test_the_agency_that_joined_forces_signs_a_signed_contract(phrasings):
    records, _ = phrasings
    portavecchia = record(records, "portavecchia")
    assert portavecchia.signed_on.normalized == "2022-05-12"
    assert any("(ars)" in name for name in parties(portavecchia.signatories))
    assert not any("ars" in name for name in parties(portavecchia.partners))


def test_a_dateline_atop_a_signature_announcement_dates_the_signature(phrasings):
    records, _ = phrasings
    ornay = record(records, "val d ornay")
    assert ornay.signed_on.normalized == "2025-03-04" and ornay.years == (2025, 2029)
    assert ornay.signed_on.source.quote == "mardi 4 mars 2025"


def test_every_value_is_in_its_quote_and_every_quote_in_its_chunk(phrasings):
    records, texts = phrasings
    for rec in records.values():
        for _, cited in rec.cited_fields():
            assert normalize(cited.value) in normalize(cited.source.quote), (cited.value, cited.source.quote)
            if cited.source.declared:  # declared by the front matter, never written in the text
                assert cited.source.metadata[cited.source.declared] == cited.source.quote
                assert normalize(cited.source.quote) not in normalize(texts[cited.source.chunk_id])
            else:
                assert cited.source.quote in texts[cited.source.chunk_id]
