"""The vocabulary of the free-text safety classifier (``titration.urgent``): words and phrases.

Everything here is in the classifier's normal form: lower case, accents and umlauts folded
(``ü`` → ``u``, ``ß`` → ``ss``), hyphens and apostrophes dropped inside a word (``co-codamol`` →
``cocodamol``, ``don't`` → ``dont``). Single words are matched with a small edit distance
(misspellings, see ``titration.urgent``); the phrases (``ALLERGY``, ``LIVER``, ``CRISIS``,
``DOUBLE_DOSE``) are regular expressions over the words after that. English and German (the
languages the bot speaks).
"""

from __future__ import annotations

import re


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
        " buvidal zubsolv belbuca espranor bupe"
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
        " yellow yellowish yellowing jaundice jaundiced gelbsucht gelblich gelbliche gelblichen"
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


# Phrases ---------------------------------------------------------------------------------------


def _p(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


_BODY = r"(?:face|lips?|tongue|throat|eyes?|eyelids?|mouth|cheeks?)"
ALLERGY = _p(
    # English
    r"allerg(?:ic|y|ies) (?:reaction|attack|response)",
    r"(?:am|im|be|being|maybe|probably|think i am|getting|got|very|so|seem) allergic",
    r"allergic to (?:it|this|ldn|naltrexone|the \w+|my \w+)",
    r"(?:a|having|bad|strong|serious) reaction to (?:it|this|ldn|naltrexone|the \w+|my \w+)",
    r"anaphyla\w*",
    r"hives",
    r"urticaria",
    r"rash\w*",
    r"swell\w*",
    r"swollen",
    r"puffy " + _BODY,
    _BODY + r" (?:is |are |looks? |feels? |seems? |got |has gone |went |getting )?"
    r"(?:very |really |all |a bit |so )?(?:puffy|puffed up|fat|thick|big)",
    r"itch\w* all over",
    _BODY + r" (?:\w+ )?(?:blew|blown|puffed|swelled|swole) up",
    r"(?:trouble|difficulty|difficult|hard|struggling|struggle|problems?|cant|unable|barely)"
    r" (?:to )?(?:breath\w*|get air|swallow\w*)",
    r"short(?:ness)? of breath",
    r"out of breath",
    r"wheez\w*",
    r"(?:throat|chest) (?:is |feels )?(?:very |so )?(?:tight\w*|closing\w*|swelling)",
    r"tight (?:throat|chest)",
    # German
    r"allergisch\w*",
    r"allergie",
    r"anaphyla\w*",
    r"quaddeln",
    r"nessel\w*",
    r"\w*ausschlag(?:e|en|s)?",
    r"juck\w* (?:am )?ganzen korper",
    r"\w*geschwollen\w*",
    r"\w*schwellung\w*",
    r"aufgequollen\w*",
    r"aufgedunsen\w*",
    r"(?:gesicht|lippen?|zunge|augen|hals|mund) (?:ist |sind |wird |werden )?(?:ganz |total |so |"
    r"sehr )?(?:dick|aufgequollen|aufgedunsen)",
    r"atemnot",
    r"atemprobleme?",
    r"atembeschwerden",
    r"kurzatmig\w*",
    r"keine luft",
    r"(?:kaum|schlecht|wenig|schwer) luft",
    r"schwer (?:zu )?atmen",
    r"kann (?:kaum|nicht|schlecht) (?:mehr )?(?:richtig )?(?:atmen|schlucken)",
    r"hals (?:ist |wird )?(?:ganz |so )?(?:eng|zu|zugeschnurt)",
)
_EYES = r"(?:eyes?|whites of (?:my |the )?eyes|skin|face)"
LIVER = _p(
    # English
    r"yellow\w* (?:of |in )?(?:my |the |his |her )?" + _EYES,
    _EYES + r" (?:\w+ ){0,3}yellow\w*",
    r"jaundice\w*",
    r"(?:urine|pee|wee)(?: \w+){0,5} (?:cola|coke|tea|brown)\w*",
    r"(?:dark|brown|cola coloured|cola colored|tea coloured|tea colored) (?:urine|pee|wee)",
    r"(?:urine|pee|wee) (?:is |looks |has been |was )?(?:very |really |so |quite )?"
    r"(?:dark|brown)\w*",
    r"(?:pain\w*|ache\w*|aching|hurts?|sore\w*) (?:under|below|beneath|in|at) (?:the |my )?"
    r"right (?:side |upper )?(?:ribs?|rib cage|ribcage|upper (?:belly|abdomen|tummy|stomach))",
    r"(?:pain\w*|ache\w*|aching|hurts?|sore\w*) (?:under|below|beneath) (?:my |the )?ribs? "
    r"on the right",
    r"right (?:side |upper )?(?:ribs?|rib cage|ribcage|upper (?:belly|abdomen|tummy)) "
    r"(?:pain\w*|hurts?|aches?|aching|sore)",
    # German
    r"gelb\w* (?:haut|augen?|augapfel|augenweiss\w*)",
    r"(?:haut|augen?|augenweiss\w*|augapfel) (?:ist |sind |wird |werden |sieht |sehen |wirkt |"
    r"wirken |auch )?(?:ganz |sehr |etwas |leicht |so |irgendwie )?(?:gelb\w*)",
    r"gelbsucht",
    r"(?:dunkl\w*|dunkel\w*|brauner?) (?:urin|harn|pipi)",
    r"(?:urin|harn|pipi) (?:ist )?(?:sehr |ganz |so |richtig )?(?:dunkel\w*|braun\w*)",
    r"schmerz\w* (?:unter|unterm|am|im|an) (?:dem |den |der )?(?:rechten )?(?:rippenbogen|rippen)"
    r"(?: rechts)?",
    r"(?:rechts|rechten|rechter) (?:unter |unterm )?(?:den |dem )?(?:rippen\w*|oberbauch\w*)",
    r"(?:im )?rechten oberbauch",
)
_SELF = r"(?:myself|my self)"
CRISIS_WORDS = _p(r"suicid\w*", r"selbstmord\w*", r"suizid\w*")
CRISIS = _p(
    # English
    r"kill?(?:ing)? " + _SELF,
    r"end(?:ing)? (?:my life|it all|my own life|things|everything|it tonight|it now)",
    r"(?:want|wanna|going|ready|thinking about|think about|thought about) (?:to )?end(?:ing)? it$",
    r"tak(?:e|ing) my (?:own )?life",
    r"(?:want|wanted|wanting|wanna|going|ready|like) (?:to )?die",
    r"wish (?:i|id) (?:was|were|could be) dead",
    r"wish (?:i|id) (?:wasnt|werent|was not|could not|couldnt) (?:here|alive|be here|exist)",
    r"wish i (?:didnt|did not|wouldnt|would not|could not) wake up",
    r"better off dead",
    r"want (?:it all|everything|all of this|my life) to (?:end|stop|be over)",
    r"no point (?:in )?(?:living|going on|being alive|being here)",
    r"better off without me",
    r"(?:dont|do not|no longer) want to (?:live|be alive|be here|wake up|go on|exist)",
    r"(?:no|nothing|no reason) (?:reason )?to live for",
    r"no reason to live",
    r"not worth living",
    r"(?:cant|cannot|can not) go on",
    r"(?:hurt|hurting|harm|harming|cut|cutting) " + _SELF,
    r"self ?harm\w*",
    r"selfharm\w*",
    r"take all (?:of )?(?:my|the) (?:pills|tablets|capsules|meds|medication)",
    r"overdose on purpose",
    # German
    r"(?:mich|mir) (?:selbst )?(?:umbringen|toten|das leben nehmen|etwas antun|was antun|"
    r"weh tun|wehtun|verletzen)",
    r"bring\w* mich um",
    r"(?:will|mochte|wurde|wollte) (?:\w+ )?(?:am liebsten )?(?:sterben|tot sein)",
    r"(?:will|mochte|wollte) (?:so )?nicht mehr (?:leben|da sein|aufwachen|sein|weiterleben)",
    r"nicht mehr leben (?:will|mochte|wollen)",
    r"(?:ich )?(?:will|kann|mag) (?:einfach |so )?(?:echt )?nicht mehr$",
    r"kein\w* (?:lust|kraft|grund) mehr (?:zu |zum )?leben",
    r"lebensmude\w*",
    r"(?:allem|dem|alles|meinem leben) (?:\w+ )?ein ende (?:setzen|machen|bereiten)",
    r"(?:schluss|ende) machen",
    r"ritze mich",
    r"mich (?:zu )?ritzen",
    r"selbstverletz\w*",
    r"(?:leben|alles) hat (?:\w+ )?keinen sinn mehr",
    r"kein(?:en)? sinn mehr (?:zu leben|im leben|am leben)",
    r"kein(?:en)? sinn (?:mehr )?zu leben",
)
_DOSE = r"(?:doses?|pills?|capsules?|caps|tablets?|tabs|ldn|lots|of them|of my (?:pills|doses|"
_DOSE += r"capsules|tablets))"
_NOT_LDN = (
    r"(?! (?:hours?|days?|weeks?|minutes?|mins?|nights?|months?|years?|tries|goes|attempts|"
    r"steps|buses|trains|paracetamol|ibuprofen|aspirin|advil|tylenol|panadol|puffs|sips|bites|"
    r"naps|showers|baths|walks|breaks|photos|pictures|x rays|tests))"
)
_TOOK = r"(?:took|tok|tooked|taken|have taken|had taken)"
DOUBLE_DOSE = _p(
    # English
    _TOOK + r" (?:it |them |my (?:dose|ldn|pill|capsule|tablet|meds|medication) |ldn )?"
    r"(?:twice|two times|2 times|2x)",
    _TOOK + r" (?:two|2|both)" + _NOT_LDN + r"(?: " + _DOSE + r")?",
    r"(?:two|2) doses (?:tonight|today|last night|by mistake|at once|in one night)",
    r"double (?:dose\w*|dosed|up|dosing)",
    r"took (?:a |the )?double",
    r"doubled up",
    r"(?:accidentally|mistakenly) doubled",
    _TOOK + r" (?:an? |one |my )?(?:extra|additional|second|another) (?:dose|one|pill|capsule"
    r"|tablet)",
    r"took (?:my dose|my ldn|it|ldn) again",
    r"(?:taken|had) (?:two|2) (?:doses|pills|capsules|tablets)",
    # German
    r"doppelt\w* (?:genommen|eingenommen|dosiert|dosis)",
    r"doppelte dosis",
    r"(?:zweimal|zwei mal|2 mal|2x) (?:\w+ )?(?:genommen|eingenommen)",
    r"(?:zwei|2) (?:kapseln|tabletten|dosen|dosierungen) (?:\w+ )?(?:genommen|eingenommen|"
    r"geschluckt)",
    r"(?:nochmal|noch einmal|nochmals|erneut) (?:\w+ )?(?:genommen|eingenommen)",
    r"(?:versehentlich|aus versehen) (?:\w+ )?(?:zwei|2|doppelt|nochmal|zweimal|noch eine)",
    r"(?:zusatzliche|extra|zweite) (?:dosis|kapsel|tablette) (?:\w+ )?(?:genommen|eingenommen)",
)
