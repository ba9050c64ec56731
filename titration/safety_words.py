"""The vocabulary of the free-text safety classifier (``titration.urgent``): words and phrases.

Everything here is in the classifier's normal form: lower case, accents and umlauts folded
(``ü`` → ``u``, ``ß`` → ``ss``), hyphens and apostrophes dropped inside a word (``co-codamol`` →
``cocodamol``, ``don't`` → ``dont``). Single words are matched with a small edit distance
(misspellings, see ``titration.urgent``). English and German (the languages the bot speaks).
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Opioids: every generic and brand name → its generic (a code) ---------------------------------

_OPIOIDS: dict[str, tuple[str, ...]] = {
    "opioid": _words("opioid opioids opiate opiates opioide opioiden opiat opium"),
    "codeine": _words(
        "codeine codein cocodamol solpadeine paracodin paracodein codipront tylex kapake zapain"
        " solpadol migraleve nurofenplus codicaps optipect tylenol3"
    ),
    "dihydrocodeine": _words("dihydrocodeine dihydrocodein codydramol df118 remedacen"),
    "tramadol": _words(
        "tramadol tramal ultram zydol tramadolor zaldiar ultracet tramacet conzip maxitram"
        " tradorec invodol zamadol"
    ),
    "tapentadol": _words("tapentadol palexia nucynta yantil"),
    "tilidine": _words("tilidine tilidin valoron tilicomp nalidin"),
    "morphine": _words(
        "morphine morphin morfine morfin oramorph sevredol zomorph mstcontinus mscontin kadian"
        " avinza morphanton"
    ),
    "oxycodone": _words(
        "oxycodone oxycodon oxycontin oxynorm percocet roxicodone targin endone xtampza"
        " oxygesic oxyneo longtec shortec oxecta percodan roxicet endocet oxaydo"
    ),
    "hydrocodone": _words("hydrocodone hydrocodon vicodin norco lortab hysingla zohydro dicodid"),
    "hydromorphone": _words(
        "hydromorphone hydromorphon dilaudid palladone palladon jurnista exalgo"
    ),
    "oxymorphone": _words("oxymorphone opana"),
    "fentanyl": _words(
        "fentanyl fentanil durogesic actiq abstral fentora matrifen instanyl pecfent effentora"
        " breakyl subsys"
    ),
    "buprenorphine": _words(
        "buprenorphine buprenorphin suboxone subutex butrans temgesic transtec norspan sublocade"
        " buvidal zubsolv belbuca espranor"
    ),
    "methadone": _words(
        "methadone methadon methadose physeptone polamidon levomethadon levomethadone"
        " dolophine eptadone"
    ),
    "pethidine": _words("pethidine pethidin meperidine demerol dolantin"),
    "piritramide": _words("piritramide piritramid dipidolor"),
    "pentazocine": _words("pentazocine pentazocin talwin fortral"),
    "nalbuphine": _words("nalbuphine nalbuphin nubain"),
    "levorphanol": _words("levorphanol"),
    "butorphanol": _words("butorphanol stadol"),
    "diamorphine": _words("diamorphine diamorphin heroin heroine"),
    "kratom": _words("kratom mitragynine ketum"),
}

OPIOID_NAMES: dict[str, str] = {
    name: generic for generic, names in _OPIOIDS.items() for name in names
}

# German compounds (``Tramadoltropfen``, ``Fentanylpflaster``): a name plus one of these.
COMPOUND_TAILS: tuple[str, ...] = _words(
    "pflaster tropfen saft tabletten tablette kapseln kapsel spray haltig haltige haltigen"
    " schmerzmittel retard losung sirup comp patch patches pills pill tabs"
)

# Keywords: a misspelling of one of these reads as it (before the phrases are looked for) ------

KEYWORDS: frozenset[str] = frozenset(
    _words(
        # allergy
        "allergic allergy allergies reaction anaphylaxis anaphylactic hives swollen swelling"
        " swelled swelling puffy breathing breathe breath throat tongue wheezing wheezy"
        " urticaria itching itchy allergisch allergische allergischen allergie reaktion"
        " anaphylaxie anaphylaktisch anaphylaktischer anaphylaktische quaddeln nesselsucht"
        " nesselausschlag geschwollen geschwollene geschwollenes geschwollener schwellung"
        " schwellungen zugeschwollen aufgequollen aufgedunsen atemnot hautausschlag ausschlag"
        " juckreiz"
        # liver
        " yellow yellowish jaundice jaundiced gelbsucht gelblich gelbliche gelblichen"
        " rippenbogen"
        # self-harm
        " suicide suicidal myself overdose selbstmord suizid suizidal suizidgedanken"
        " selbstmordgedanken umbringen lebensmude selbstverletzung"
        # double dose
        " twice double doubled accidentally doppelt doppelte zweimal versehentlich"
    )
)

# Words that deny what follows within a few words ("no rash", "keine Schwellung").
NEGATIONS: frozenset[str] = frozenset(
    _words(
        "no not never none without dont didnt doesnt havent hasnt isnt arent wasnt werent nor"
        " neither zero kein keine keinen keiner keinem keines nicht nie niemals ohne weder"
    )
)
# ...unless the negation only hedges ("not sure it's a rash", "nicht sicher").
HEDGES: frozenset[str] = frozenset(_words("sure certain sicher only just nur"))
# An opioid named with one of these after it is about having stopped: still worth the warning
# (one taken in the last days still clashes with LDN), so a negation does not cancel it.
STOPPED: frozenset[str] = frozenset(
    _words("anymore longer since stopped quit mehr seit abgesetzt aufgehort weaned")
)
# Ordinary words one edit away from a name or keyword: never read as it.
NOT_FUZZED: frozenset[str] = frozenset(_words("morphing heroic heroes ultras normal hikes hiked"))
