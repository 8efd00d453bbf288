"""French patterns that recognise the facts of a CLS in its documents' sentences.

They are deliberately explicit (one regex per way of writing a fact) so that a reader can see why a
value was taken and add a wording found in a new document. All match the text as stored, accents
and capitals included (re.IGNORECASE); a value is always a span of the matched sentence.
"""

from __future__ import annotations

import re
from datetime import date

from assistant.core.dates import MONTH_ALTERNATION, MONTH_SPELLINGS

NOCASE = re.IGNORECASE
APOS = "['’]"

_MONTH = MONTH_ALTERNATION
DAY_MONTH_YEAR = re.compile(
    rf"\b(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?(1er|[0-3]?\d)\s+({_MONTH})(?!\w)\.?"
    r"(?:\s+((?:19|20)\d{2})\b)?",
    NOCASE,
)
MONTH_YEAR = re.compile(rf"\b(?:en |dès |au mois de |courant |début |fin )({_MONTH})(?!\w)\.?\s+((?:19|20)\d{{2}})\b", NOCASE)
"""« signé en juin 2025 »: a signature known to the month."""
HORIZON = re.compile(r"\b(?:à l['’]horizon|d['’]ici(?: à)?|jusqu['’](?:en|à))\s+((?:19|20)\d{2})\b", NOCASE)
"""« à l'horizon 2030 »: the last year of a contract whose first is its signature's."""
NUMERIC_DATE = re.compile(r"\b([0-3]?\d)/([01]?\d)/((?:19|20)\d{2})\b")

CONTRACT = re.compile(r"\b(?:CLS[2-5]?|contrats? loca(?:l|ux) de santé|contrat)\b(?!\s+(?:loca(?:l|ux) de santé )?mentale)", NOCASE)
"""A sentence that speaks of the contract."""
CLS_NAME = re.compile(r"\b(?:CLS[2-5]?|contrats? loca(?:l|ux) de santé)\b(?!\s+mentale)", NOCASE)

# --- signature --------------------------------------------------------------------------------
_ASIDE = r"(?:,[^,.;]{2,40},)?"
"""« avaient, dès octobre 2016, conclu »: an aside between the auxiliary and the participle."""
SIGNED = re.compile(
    rf"\b(?:a|ont|avait|avaient|auront){_ASIDE} (?:été )?(?:sign[ée]e?s?|conclue?s?)\b|"
    r"\b(?:a|ont|avait|avaient) (?:officiellement )?(?:reconduit|renouvelé)(?= (?:le|leur|son|sa|ce|cette|un|une) (?:CLS|contrat))|"
    r"\b(?:de|pour) signer\b|\b(?:est|sont) sign[ée]e?s?\b|"
    r"\bsign[ée]e?s? (?:à|le|ce|en date du)\b|\bsignent\b|\bsigne (?:son|un|le|ce|leur)\b|"
    r"\bsa signature,? le\b|\bpour signer\b|\bont (?:officiellement |solennellement )?signé\b|\b(?:a|ont) paraphé\b|"
    r"\b(?:a|ont) officialisé (?:la |leur |son |sa )?(?:engagement|signature)|"
    r"\b(?:la |cette |leur |sa )signature (?:du |de leur |de son |de ce |d['’]un )?(?:premier |second |deuxième |nouveau |\d\w* )?(?:CLS|contrat)|"
    r"\b(?:[Cc]ette|[Ll]a) signature (?:s['’]est (?:déroulée|tenue)|a eu lieu)\b",
    NOCASE,
)
PASSIVE = re.compile(r"\b(?:(?:la|cette|leur|sa) )?signature\b|\b(?:a|ont|avait|avaient) été sign|\b(?:est|sont) sign|\bsign[ée]e?s? (?:à|le)\b", NOCASE)
OTHER_INSTRUMENT = re.compile(
    r"(?:,[^,.;]{2,40},)?\s*(?:(?:la|le|les|l['’]|une?|des|sa|son|leur|cette|ce)\s+)?(?:\w+\s+){0,2}?(?:conventions?|avenants?|chartes?)\b", NOCASE)
"""« a paraphé la convention annuelle d’application du CLS »: the object signed is an implementing
instrument, so its date is not the contract's."""
DATE_LED = re.compile(r"^\s*(?:Le |Ce )?(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?(1er|[0-3]?\d)\s+(\w+)\s+((?:19|20)\d{2}),\s+", NOCASE)
"""« Le 23 juin 2025, la ville de X a… »: a dated sentence opening a section."""
JOINT_COMMITMENT = re.compile(
    r"\b(?:ont uni leurs forces|unissent leurs forces|se sont associée?s|s['’]associent|se sont engagée?s|s['’]engagent)\b", NOCASE)
"""« la Ville de X et l'ARS Y ont uni leurs forces … pour un CLS »: the contract's parties, before any signature."""
PRESENCE = re.compile(r"\ben (?:la )?présence de\b|\bautour de la table\b", NOCASE)
OFFICE_OF = re.compile(
    r"\b(?:[Pp]résidente?|[Dd]irect(?:eur|rice)(?: général| générale)?|[Mm]aire|[Vv]ice-présidente?)\s+"
    r"(?:du |de la |de l['’]|des |de )(?P<name>(?:PETR|Pays|Pôle|Communauté|Métropole|Syndicat|Agglomération|Ville)\b"
    r"(?:[\s-]+(?:de la |de l['’]|du |des |de |d['’]|et |en |sur )?[A-ZÉÈÎÔÂ][\w’'-]*)+)"
)
"""« président du PETR Pays X »: the authority a person heads."""
DONE_AT = re.compile(r"^\s*Fait à [^,]{2,60},? le\b", NOCASE)
"""« Fait à Vire, le 4 avril 2024. »: the date a contract was signed."""
WITH = re.compile(r"\b(?:en partenariat avec|avec)\s+", NOCASE)
BY = re.compile(r"\s+(?:conjointement\s+)?par\s+(?=\S)", NOCASE)
"""« a été signé par A, B et C »: the parties of a passive signature."""
CONCLUDED_BETWEEN = re.compile(
    r"\b(?:conclu|signé|passé|établi)e? entre\s+|\b(?:CLS|[Cc]ontrat [Ll]ocal de [Ss]anté)(?:\s*\(CLS\))?\s+entre\s+", NOCASE)
"""« conclu entre A et B », « le CLS entre A et B »: the parties follow."""
BETWEEN_HEADER = re.compile(r"^\s*(?:entre les soussignés|entre|et|d.une part|d.autre part)\s*:?\s*$", NOCASE)
PARTY_LINE = re.compile(rf"^\s*((?:l{APOS}|la |le |les )?[A-ZÉÈÀÂÎÔÛÇ][^,]{{2,150}}?),\s*(?:représentée?s? par|sise?|dont le siège)", re.M)

_OF_NAME = r"(?:de la |du |de l['’]|des |de |d['’])"
_NEXT_AUTHORITY = r"\s+et\s+(?:de la |du |de l['’]|des |de |d['’])(?:[Cc]ommunauté|[Mm]étropole|Pays|PETR|[Vv]ille|[Cc]ommune|[Aa]gglomération)\b"
_MENTION_NAME = (
    r"((?:(?:[Cc]ommunauté|[Mm]étropole|Pays|PETR|[Vv]ille|[Cc]ommune|[Aa]gglomération|CC|CA|CU)\b[^,.;:()]*?"
    r"(?=\s+(?:est|sont|a|ont|qui|sera|pour|arrive|prend|couvre|se|s['’]|va|vient|signé|porté)\b|\s*[,.;:(»]|\s*$|"
    + _NEXT_AUTHORITY + r"))|"
    r"[A-ZÉÈÎÔÂ][\w’'-]*(?:(?:[\s-]+|[\s-]+(?:de la |de l['’]|du |des |de |d['’]|la |le |les |et |en |sur )|(?<=['’]))[A-ZÉÈÎÔÂ][\w’'-]*)*"
    r"(?![\w’'-]))"
)
_SPAN = r"(?:19|20)\d{2}\s*[-–/]\s*(?:19|20)\d{2}"
_QUALIFIERS = (
    rf"(?:\s+(?:{_SPAN}|\({_SPAN}\)|(?:de\s+)?(?:\d(?:e|è|ème|nd)|deuxième|seconde?|troisième|quatrième|nouvelle)"
    r"\s+génération|intercommunal|territorial|n°\s*\d))*"
)
"""« CLS 2023-2028 », « CLS (2023-2028) », « CLS de 2e génération », « CLS intercommunal » before « de X »."""
MENTION = re.compile(
    r"\b(?:CLS(?:[2-5]|\s(?:II|III|IV))?|[Cc]ontrats? [Ll]oca(?:l|ux) de [Ss]anté)(?:\s*\(CLS\))?" + _QUALIFIERS + r"\s+"
    + _OF_NAME + _MENTION_NAME
)
MENTION_MORE = re.compile(r"\s*(?:,\s*|\s+et\s+|,\s+et\s+)" + _OF_NAME + _MENTION_NAME)
"""« les CLS de A, de B et de C »: the next territory of a list of CLS."""
"""« le contrat local de santé de la Communauté d'agglomération X » names the CLS's territory."""
_CAP_NAME = r"[A-ZÉÈÎÔÂ][\w’'-]*(?:[\s-]+(?:de la |de l['’]|du |des |de |d['’])?[A-ZÉÈÎÔÂ][\w’'-]*)*"

MENTION_BARE = re.compile(
    rf"\b(?:CLS|[Cc]ontrats? [Ll]oca(?:l|ux) de [Ss]anté)\s+((?:Pays|PETR|Pôle|Métropole|Agglo|Ville)\s+{_CAP_NAME})(?![\w’'-])"
)
"""« le CLS Pays BARVAL », « Coordonnatrice du CLS Ville de X »: a name right after the word."""
LIST_STOP = re.compile(
    r",\s*(?:un|une|le|son|sa|pour|afin|qui|dont)\b|\s+(?:pour|afin|depuis|dans le cadre|le \d|lors)\b|\.\s*$"
)
"""Where the list of parties after « avec » ends."""

# --- period and duration ----------------------------------------------------------------------
YEARS = r"((?:19|20)\d{2})\s*(?:-|–|—|/|à|au)\s*((?:19|20)\d{2})"
PERIOD_AFTER_CONTRACT = re.compile(
    rf"\b(?:contrats? loca(?:l|ux) de santé|CLS|contrat)(?:\s*\(CLS\))?\s+(?:de |pour |sur )?(?:la période\s+)?{YEARS}", NOCASE
)
PERIOD_AFTER_NAME = re.compile(
    rf"\b(?:contrats? loca(?:l|ux) de santé|CLS)(?:\s*\(CLS\))?\s+(?:de la |du |de l['’]|des |de |d['’])"
    rf"[A-ZÉÈÎÔÂ][^.;:,()]{{1,60}}?\s+\(?{YEARS}", NOCASE
)
"""« le CLS de Saint-X 2024-2028 »: the years right after the territory's name."""
PERIOD_AFTER_WORD = re.compile(
    rf"\b(?:engagement|engagé|signé|conclu|renouvelé|durée|période|contractualisation|plan d.actions?|plan|feuille de route|programme d.actions?|couvre|couvrira|couvrant|porte sur|"
    rf"portera sur|s.étend)\b[^.;:]{{0,40}}?\(?\s*(?:de |du |des années |les années |la période ){{0,2}}{YEARS}",
    NOCASE,
)
_NUMBER_WORD = r"\d{1,2}|deux|trois|quatre|cinq|six|sept|huit|neuf|dix"
DURATION = re.compile(rf"\b(?:(?:pour|sur) une (?:durée|période) de|d.une (?:durée|période) de|sur|pour)\s+({_NUMBER_WORD})\s+(?:ans|années)\b(?!\s*à\s*\d)", NOCASE)

PLAN_PERIOD = re.compile(rf"\b(?:plan|programme|feuille de route|contrat|CLS)\b[^.:;]{{0,30}}?{YEARS}", NOCASE)
"""« Le plan pour 2022-2025 »: a heading naming the contract's programme by its years."""
ONE_YEAR = re.compile(r"\bpour (?:l['’]année )?(?:19|20)\d{2}\b(?!\s*(?:-|–|—|/|à|au)\s*(?:19|20)\d{2})", NOCASE)
"""« pour 2022 »: one year of the contract, not the whole."""
LABEL_PERIOD = re.compile(rf"^\s*(?:Période|Durée(?: du contrat)?|Calendrier|Validité|Années?)\s*:\s*(?:de |du )?{YEARS}", NOCASE)
"""« Période : 2024-2028 » in a fact sheet."""
LABEL_SIGNED = re.compile(r"^\s*(?:Date de (?:la )?signature|Signé le|Signature)\s*:\s*", NOCASE)
"""« Date de signature : 14 mars 2024 » in a fact sheet."""
LABEL_TERRITORY = re.compile(r"^\s*(?:Territoire|Collectivité(?: porteuse)?|Porteur(?: du contrat)?)\s*:\s*(\S[^:;]{1,80}?)\s*$", NOCASE)
"""« Territoire : Pays de X » in a fact sheet names the CLS it describes."""
PERIOD_LINE = re.compile(rf"^\s*(?:#+\s*)?\(?{YEARS}\)?\s*$")
"""A title line that is only the contract's years (« 2018-2021 » under « Contrat local de santé »)."""

# --- contents ---------------------------------------------------------------------------------
AXES_WORD = re.compile(
    r"\baxes?\b|\borientations? (?:stratégiques|prioritaires)\b|"
    r"\bthématiques prioritaires\b|\bobjectifs stratégiques\b|\benjeux (?:stratégiques|prioritaires)\b",
    NOCASE,
)
AXIS_LINE = re.compile(
    r"^\s*(?:#+\s*)?(?:Axe|Orientation stratégique|Orientation)(?:\s+(?:stratégique|prioritaire|thématique))?\s*(?:n°\s*)?"
    r"(\d{1,2}|[IVX]{1,4})\s*[:.–—-]\s*(\S.{4,})$",
    NOCASE,
)
BARE_AXIS = re.compile(r"^\s*(?:#+\s*)?Axe\s*(?:n°\s*)?(?:\d{1,2}|[IVX]{1,4})\s*[:.–—-]?\s*$", NOCASE)
"""« Axe 1 : » alone over a list: the items are that axis's actions, not axes."""
ACTION_LINE = re.compile(
    r"^\s*(?:#+\s*)?(?:Fiches?[- ]actions?|Action)\s*(?:n°|no|nº|numéro)?\s*(\d{1,2}(?:[.-]\d{1,2})*)\s*[:.–—-]\s*(\S.{3,})$",
    NOCASE,
)
ACTIONS_INTRO = re.compile(
    r"\b(?:exemples? d.actions?|actions? (?:phares|prioritaires|retenues|prévues|programmées|concrètes|suivantes)|"
    r"principales actions|fiches? actions? suivantes|actions? (?:menées|mises en œuvre) dans le cadre)\b",
    NOCASE,
)
LIST_OF = re.compile(
    r"\b(?P<kind>signataires|partenaires(?: non[- ]signataires| associés| mobilisés| du contrat| de l.action)?)\s*(?P<open>\(|:)\s*",
    NOCASE,
)
LABEL_PARTNERS = re.compile(r"^\s*(?:#+\s*)?Partenaires(?: associés| mobilisés)?\s*:?\s*$", NOCASE)

COORDINATION = re.compile(
    r"\bcoord(?:in|onn)at(?:eur|rice)s?\b|\bcoordination (?:du|de ce|de son) (?:CLS|contrat)\b|"
    r"\b(?:mission|poste|fonction) de coordination\b|\banimat(?:eur|rice) (?:du|de ce) (?:CLS|contrat)\b",
    NOCASE,
)
FUNDING = re.compile(
    r"\b(?:co)?financ\w*|\bbudget\w*|\bsubvention\w*|\bdotation\b|\benveloppe\b|"
    r"\d[\d  .]*\s?(?:€|euros?\b|k€|M€)|\bmillions? d.euros\b",
    NOCASE,
)
FUNDING_CONTEXT = re.compile(r"\b(?:CLS|contrat|coordinat\w*|coordonnat\w*|fiches?[- ]actions?|actions?)\b", NOCASE)
SHEET_SECTION = re.compile(r"\b(?:fiches?[- ]actions?|action n|budget|financement|coordination)\b", NOCASE)

PREPARATION = re.compile(
    r"\b(?:élaboration|construction|rédaction) (?:du |de ce |de son |de leur |d['’]un )?(?:futur |prochain |nouveau )?(?:CLS|contrat)\b[^.;]{0,60}?\b(?:a été |est )?(?:officiellement )?(?:lancée|engagée|démarrée)\b|"
    r"\b(?:dont|son|leur) (?:l['’])?élaboration (?:a été |est )?(?:officiellement )?(?:lancée|engagée|démarrée)\b|"
    r"\b(?:CLS|contrats? loca(?:l|ux) de santé|contrat)\b[^.;]{0,80}?\b(?:actuellement |encore |désormais )?"
    r"(?:en cours d.élaboration|en (?:cours de )?préparation|en cours de rédaction|en construction)\b|"
    r"\bsignature (?:du|de ce|de son|de leur) (?:futur |prochain |nouveau )?(?:CLS|contrat)[^.;]{0,40}?\b(?:est |sera )?prévue\b|"
    r"\b(?:futur|prochain) (?:CLS|contrat local de santé)\b|"
    r"\b(?:a|ont|avait|avaient) (?:officiellement )?(?:lancé|engagé|entamé|démarré|initié) (?:l['’]élaboration|la construction|"
    r"la rédaction|la préparation|(?:la|une) démarche d['’]élaboration)\b[^.;]{0,20}?\b(?:CLS|contrat)\b|"
    r"\bs['’](?:engage|engagent|est engagée?|sont engagée?s) dans (?:l['’]élaboration|la construction|la préparation|"
    r"une démarche d['’]élaboration)\b[^.;]{0,20}?\b(?:CLS|contrat)\b|"
    r"\bdémarche d['’]élaboration (?:du|de son|de leur|d['’]un) (?:futur |premier |nouveau |second )?(?:CLS|contrat)\b"
    r"[^.;]{0,40}?\b(?:a |ont )?(?:démarré|débuté|commencé|été lancée?)\b|"
    r"\bprépare(?:nt)? (?:son|leur|un) (?:premier |futur |nouveau |second |deuxième )?(?:CLS|contrat local de santé)\b",
    NOCASE,
)

GENERATION = re.compile(
    r"\b(?:(?P<n>\d)(?:e|ème|è|nd|nde)|(?P<w>deuxième|second|seconde|troisième|quatrième))\s+(?:génération|CLS|contrat local de santé|contrat)\b|"
    r"\bCLS\s?(?P<numbered>[2-5]|II|III|IV)\b|"
    r"\b(?P<avenant>avenant)\b|\b(?P<renewed>renouvel(?:é|ée|lement|le)|reconduit|reconduction)\b",
    NOCASE,
)
"""« CLS de 2e génération », « son troisième contrat », « un avenant », « renouvelé »: a renewed CLS."""

# --- counts stated by the documents -----------------------------------------------------------
_COUNT = r"(\d{1,3}|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt|trente)"
_NOUN = r"(?:CLS|contrats? locaux de santé|contrats)(?:\s*\(CLS\))?"
_STATE = r"(signés et actifs|actifs|en cours|en vigueur|signés)"
REGION_COUNT = re.compile(
    rf"\b(?:la Normandie|la région(?: Normandie)?|notre région)\s+(?:compte|comptait|dénombre|totalise)\s+"
    rf"(?:(?:donc|désormais|aujourd.hui|actuellement|ainsi)\s+)*{_COUNT}\s+{_NOUN}\s*{_STATE}?",
    NOCASE,
)
WITH_COUNT = re.compile(rf"^\s*Avec\s+{_COUNT}\s+{_NOUN}\s+{_STATE}", NOCASE)
SIGNED_IN_YEAR = re.compile(rf"\b{_COUNT}\s+(?:nouveaux\s+)?{_NOUN}\s+ont été signés en ((?:19|20)\d{{2}})", NOCASE)
AS_OF = re.compile(rf"\b(?:au|le|en date du|à la date du)\s+(1er|[0-3]?\d)\s+({_MONTH})\s+((?:19|20)\d{{2}})", NOCASE)

# --- names ------------------------------------------------------------------------------------
_CAP = r"[A-ZÉÈÊÀÂÎÔÛÇŒ][\w’'-]*"
_PARTICLE = r"(?:de la |de l['’]|du |des |de |d['’]|la |le |les |l['’]|et (?:de la |du |des |de |d['’])?|en |sur |sous |à |aux? )"
LEGAL_FORM = (
    r"(?:Communautés? (?:de [Cc]ommunes|d['’][Aa]gglomération|[Uu]rbaine)|Eurométropole|Métropole|"
    r"Agglomération|Agglo|PETR|Pôle d['’][ÉéEe]quilibre [Tt]erritorial et [Rr]ural(?: \(PETR\))?|"
    r"Pôle (?:territorial|métropolitain)|Pôle|Pays|Ville|Commune|Syndicat mixte|Syndicat|"
    r"Intercommunalité|CC|CA|CU)"
)
NAME_RUN = re.compile(
    rf"(?:\b{LEGAL_FORM}\s+(?:{_PARTICLE})?)?(?<![\w’'-]){_CAP}(?:(?:[\s-]+|[\s-]+{_PARTICLE}|(?<=[’'])){_CAP})*"
)
"""A place or authority name: an optional legal form then capitalised words joined by particles."""
_NOT_A_PLACE = (r"(?!(?:Le|La|Les|L['’]|Agence|Autorité|Conseil|Caisse|Préfecture|Préfet|Communauté|Pôle|Pays|"
                r"CPAM|CAF|MSA|ARS|Département|Région|Centre hospitalier|Mutualité|Éducation|Education|État|Etat)\b)")
_PLACE = (rf"{_NOT_A_PLACE}[A-ZÉÈÎÔ][\w’'-]+(?:(?:[\s-]|\s(?:de la|de l['’]|du|des|de|d['’]|sur)\s|\s(?:d|de l)['’])"
          rf"{_NOT_A_PLACE}[A-ZÉÈÎÔ][\w’'-]+)*")
_OF = r"(?:de la |de l['’]|du |des |de |d['’])?"
INSTITUTION_NAME = re.compile(
    rf"(?:ARS|Agence [Rr]égionale de (?:la )?[Ss]anté|Autorité [Rr]égionale de [Ss]anté)(?:\s*\(ARS\))?"
    rf"(?:\s+{_OF}(?:la |l['’])?(?!de\b){_PLACE})?(?:\s*\(ARS\))?(?:\s+{_PLACE})?|"
    rf"(?:Préfecture|[Pp]réfet|[Pp]réfète)(?:\s+{_OF}(?:la |l['’])?{_PLACE}|\s+\d{{2,3}})?|"
    rf"(?:CPAM|Caisse [Pp]rimaire d['’][Aa]ssurance [Mm]aladie|CAF|Caisse d['’][Aa]llocations [Ff]amiliales|MSA|"
    rf"Mutualité [Ss]ociale [Aa]gricole|CARSAT|DDETS|DSDEN|CPTS|CHU|[Cc]entres? [Hh]ospitaliers?|"
    rf"Conseil [Dd]épartemental|Conseil [Rr]égional|Collectivité [Tt]erritoriale)"
    rf"(?:\s+{_OF}(?:la |l['’])?(?:{_PLACE}|\d{{2,3}}))?|"
    rf"(?:Département|Région)\s+{_OF}(?:la |l['’])?{_PLACE}|"
    rf"\b(?:État|Etat)\b(?![-\w])|[ÉE]ducation [Nn]ationale"
)
"""An institution as a text names it (« l'Agence régionale de santé Normandie », « Préfecture 94 »,
« la CPAM du Loiret », « le Conseil départemental »): what signs a CLS besides the local authority."""
PARTNERSHIP = re.compile(
    r"\b(?:partenariat|concertation|contractualisation|convention|coopération)\s+(?:\w+\s+){0,2}(?:avec|entre)\b|"
    r"\bsous l['’]égide\b",
    NOCASE,
)
REGIONAL_PLAN = re.compile(r"\b(?:Projet|Programme|Plan|Schéma|Stratégie)\s+(?:[Rr]égional|[Nn]ational)\w*[^.]{0,50}$|\bPRS\b[^.]{0,30}$")
"""« le Projet régional de santé … porté par l'ARS »: the ARS carries the plan, not the CLS."""
CARRIED_BY = re.compile(r"\bporté\w*\s+(?:conjointement\s+)?(?:localement\s+)?(?:conjointement\s+)?par\b", NOCASE)
"""« renouvelle son partenariat avec l'ARS », « porté conjointement par l'ARS et … »: the contract's parties."""
SIGNATORIES_WORD = re.compile(r"\b(?:co)?signataires?\b|\bparties? (?:signataires|prenantes)\b", NOCASE)
_AXES_COUNT = (
    r"\b(?P<n>\d{1,2}|deux|trois|quatre|cinq|six|sept|huit|neuf|dix)\s+(?:grands? |principaux |principales )?"
    r"(?:axes|orientations (?:stratégiques|prioritaires)|enjeux (?:stratégiques|prioritaires)|priorités(?: stratégiques)?|"
    r"objectifs stratégiques|thématiques prioritaires)"
    r"(?:\s+(?:stratégiques|prioritaires|majeurs|thématiques|d['’]intervention))?"
)
AXES_COUNT = re.compile(_AXES_COUNT, NOCASE)
"""« Il comporte 6 axes stratégiques », « autour de quatre orientations prioritaires »."""
INLINE_AXES = re.compile(_AXES_COUNT + r"[^:.;]{0,60}?:\s*(?P<items>[^.:]+)(?=[.]|$)", NOCASE)
"""« autour de 5 axes majeurs : a, b, c, d, ainsi qu'un axe transversal … »: axes given inline."""
INLINE_AXES_FREE = re.compile(
    r"\baxes (?:(?:stratégiques|prioritaires|thématiques) )?suivants\s*:\s*(?P<items>[^.:]+)(?=[.]|$)", NOCASE
)
"""« autour des axes suivants : a, b et c »: inline, without a count."""
NOT_A_CLS = re.compile(
    r"\b(?:CLSM|(?:conseils?|contrats?) loca(?:l|ux) de santé mentale|ateliers? santé[- ]ville|ASV|CPTS|PTSM|"
    r"projets? territoria(?:l|ux) de santé(?: mentale)?|conseils? territoria(?:l|ux) de santé|"
    r"communautés? professionnelles? territoriales? de santé|contrats? de ville|"
    r"diagnostic local de santé|guide)\b",
    NOCASE,
)
"""Other local devices (and guides about CLS): a document whose title is about them is not about a CLS of its own."""
COLLECTIVITY = re.compile(
    r"^(?:Communauté|Métropole|Ville\b|Commune\b|Pays\b|PETR\b|Pôle d.équilibre|Agglomération|"
    r"Syndicat|Intercommunalité|CC\b|CA\b|CU\b|Territoire\b)|(?:Métropole|Agglo|Agglomération)$",
    NOCASE,
)
INSTITUTION = re.compile(
    r"\b(?:ARS|Agence régionale|CPAM|CAF|MSA|Caisse|Mutualité|Préfecture|Préfet|Région|Département|"
    r"Conseil (?:régional|départemental)|hospitali|Centre hospitalier|Éducation nationale|Etat|État)\b",
    NOCASE,
)
ARTICLE = re.compile(rf"^(?:la |le |les |l{APOS}|des |du |de la |de l{APOS}|de )", NOCASE)
PRONOUN = re.compile(r"^(?:elle|il|nous|on|celle-ci|celui-ci|la collectivité|notre collectivité)$", NOCASE)


def parse_date(match: re.Match, fallback: date | None) -> date | None:
    """The date of a DAY_MONTH_YEAR or NUMERIC_DATE match; a missing year comes from `fallback`
    (the document's date), the latest year that does not put the date after the document."""
    try:
        if match.re is NUMERIC_DATE:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        day = 1 if match.group(1).lower() == "1er" else int(match.group(1))
        month = MONTH_SPELLINGS[match.group(2).lower()]
        if match.group(3):
            return date(int(match.group(3)), month, day)
        if fallback is None:
            return None
        found = date(fallback.year, month, day)
        return found if found <= fallback else date(fallback.year - 1, month, day)
    except ValueError:
        return None
