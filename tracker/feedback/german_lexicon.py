"""Load the German polarity lexicon (our package data) and look up inflected words.

The lexicon is the German Polarity Lexicon by Klenner, Clematide, Wiegand and Peters
(University of Zurich, 2010) in the XML form Markus Killer made for textblob-de, under
the Apache License 2.0: data/NOTICE.md credits both, data/LICENSE-Apache-2.0.txt holds
the licence.
"""

from functools import cache, lru_cache
from importlib import resources
from xml.etree import ElementTree

LEXICON_FILE = ("data", "de-sentiment.xml")

# Backer vocabulary the 2010 lexicon lacks or reads differently in this domain, on the
# lexicon's own scale (-1..1). A value here replaces the lexicon's.
DOMAIN_POLARITY: dict[str, float] = {
    # praise and thanks
    "danke": 0.8, "dankeschön": 0.9, "großartig": 1.0, "genial": 1.0, "geil": 0.8,
    "spaß": 0.8, "besser": 0.6, "best": 1.0, "fortschritt": 0.6, "fortschritte": 0.6,
    "transparent": 0.6, "transparenz": 0.7, "glückwunsch": 0.8, "gratulation": 0.8,
    "flüssig": 0.5, "flüssiger": 0.5, "gefällt": 0.8, "gefallen": 0.6, "verdient": 0.5,
    "gelöst": 0.6, "liebe": 0.6, "wow": 0.6, "top": 0.7, "hammer": 0.6, "bravo": 0.8,
    "gerne": 0.3, "gern": 0.3, "ehrliche": 0.4, "ehrlichen": 0.4, "ehrlichkeit": 0.7,
    "lohnt": 0.6, "okay": 0.3, "ok": 0.3,
    "geldmacherei": -0.8,
    # trouble and complaints
    "verzögerung": -0.7, "verzögert": -0.6, "verspätung": -0.7, "verspätet": -0.6,
    "kaputt": -0.8, "defekt": -0.8, "beschädigt": -0.8, "fehler": -0.6, "fehlermeldung": -0.6,
    "bug": -0.6, "bugs": -0.6, "absturz": -0.8, "abstürzen": -0.8, "stürzt": -0.7,
    "abzocke": -1.0, "katastrophe": -1.0, "mist": -0.8, "müll": -0.8, "witz": -0.4,
    "leider": -0.4, "ewig": -0.3, "unprofessionell": -0.9, "frechheit": -1.0,
    "bereue": -0.9, "bereuen": -0.9, "träge": -0.6, "hängt": -0.3, "fehlt": -0.4,
    "rückerstattung": -0.4, "funkstille": -0.8, "schlechter": -0.7, "schlechteste": -1.0,
    # common words the lexicon rates strongly although they are usually neutral here
    "billig": -0.3, "sorgen": 0.0, "hoffen": 0.3, "versand": 0.0, "lang": 0.0,
    "lange": 0.0, "neu": 0.0, "neue": 0.0, "neues": 0.0, "einfach": 0.0, "klar": 0.0,
    "frei": 0.0, "schnell": 0.5, "ganz": 0.0, "nah": 0.0, "spiel": 0.0, "ziel": 0.0,
    "stufe": 0.0, "mal": 0.0, "richtig": 0.3, "echt": 0.0, "wirklich": 0.0,
    "update": 0.0, "updates": 0.0, "fertig": 0.0, "dauern": 0.0, "reagieren": 0.0,
    "link": 0.0, "fest": 0.0, "unterstützen": 0.0, "unterstützer": 0.0, "bitte": 0.0,
    "fügen": 0.0, "qualität": 0.0, "blind": 0.0, "weise": 0.0, "wohl": 0.0, "recht": 0.0,
    "tat": 0.0, "trotz": 0.0, "offen": 0.0, "eng": 0.0, "hoch": 0.0, "tief": 0.0,
    "raum": 0.0, "real": 0.0, "not": 0.0, "ms": 0.0, "high": 0.0, "down": 0.0, "zig": 0.0,
    "wagen": 0.0, "lehre": 0.0, "arm": 0.0, "stich": 0.0, "tick": 0.0, "takt": 0.0,
    "kur": 0.0, "gabe": 0.0, "ernst": 0.0, "gross": 0.0, "rat": 0.0, "ruf": 0.0,
    "reich": 0.0, "ehrlich": 0.0, "steuer": 0.0, "steuern": 0.0, "bleiben": 0.0,
    "rein": 0.0, "wahnsinn": 0.0,
    # rules v2: read wrongly in this domain (announcing is neutral, "verkehrt" is wrong)
    "angekündigt": 0.0, "verkehrt": -0.5, "fehldruck": -0.6,
    # rules v3: the lexicon's other senses ("gespielt" as feigned, "passen" at cards,
    # "Verfolgung" as persecution) where backers mean playing, fitting, tracking, paying
    "gespielt": 0.0, "spielen": 0.0, "passen": 0.0, "passt": 0.0, "verfolgung": 0.0,
    "bezahlt": 0.0, "bezahlen": 0.0, "direkt": 0.0, "nutzen": 0.0, "interessieren": 0.0,
    "überlegt": 0.0, "überlegen": 0.0, "verschieden": 0.0, "erhöhen": 0.0, "ernsthaft": 0.0,
    "bewegt": 0.0, "bewegung": 0.0, "dick": 0.0,
    # rules v4: "allein die Box" means "by itself"; "verrückt" is amazement; "gefixt" solved
    "allein": 0.0, "alleine": 0.0, "verrückt": 0.0, "gefixt": 0.6, "gefixed": 0.6,
}  # fmt: skip

# Neutral words that name something backers wait for: negated ("kein Update", "nicht
# angekommen", "funktioniert nicht") they read as a complaint.
EXPECTED: frozenset[str] = frozenset(
    """update updates antwort antworten rückmeldung info infos information informationen
    neuigkeiten news reaktion kommunikation lieferung nachricht nachrichten mail mails email
    emails antwortet meldet reagiert status
    angekommen ankommen kommt gekommen erhalten bekommen geliefert verschickt versendet
    funktioniert funktionieren klappt geht läuft tracking trackingnummer sendungsnummer
    lebenszeichen bewegung""".split()  # noqa: SIM905 -- word lists read best as text
)

# Inflectional endings tried from the longest, so "schlechteste" reaches "schlecht".
SUFFIXES = ("esten", "estem", "ester", "estes", "sten", "stem", "ster", "stes", "este",
            "eren", "erem", "erer", "eres", "ere", "ste", "en", "em", "er", "es", "et", "te",
            "st", "e", "n", "s", "t")  # fmt: skip
MIN_STEM = 3
MIN_COMPOUND_HEAD = 5
COMPOUND_ENDINGS = ("", "en", "n", "e", "es", "s", "er")


def parse_lexicon(xml_text: str) -> dict[str, float]:
    """Return lower-cased word forms mapped to their polarity, averaging duplicates."""
    totals: dict[str, list[float]] = {}
    # The XML is our own package data, not input from users.
    for element in ElementTree.fromstring(xml_text).iter("word"):  # noqa: S314
        form = element.get("form", "").strip().lower()
        polarity = element.get("polarity")
        if form and polarity is not None:
            totals.setdefault(form, []).append(float(polarity))
    return {form: sum(values) / len(values) for form, values in totals.items()}


@cache
def load_polarities() -> dict[str, float]:
    """Return the lexicon with the domain adjustments, read once per process."""
    lexicon = resources.files("tracker.feedback").joinpath(*LEXICON_FILE)
    polarities = parse_lexicon(lexicon.read_text(encoding="utf-8"))
    polarities.update(DOMAIN_POLARITY)
    return polarities


def match_inflected(word: str, polarities: dict[str, float]) -> float | None:
    """Return the polarity of a word, a lemma reached by stripping an ending, or None."""
    if word in polarities:
        return polarities[word]
    candidates = [word]
    # Past participles: "geärgert" -> "ärgert" -> "ärgern".
    if word.startswith("ge") and len(word) > 5:
        candidates.append(word[2:])
    for candidate in candidates:
        if candidate in polarities:
            return polarities[candidate]
        for suffix in SUFFIXES:
            if candidate.endswith(suffix) and len(candidate) - len(suffix) >= MIN_STEM:
                stem = candidate[: -len(suffix)]
                for lemma in (stem, stem + "en", stem + "n", stem + "e"):
                    if lemma in polarities:
                        return polarities[lemma]
    return None


@lru_cache(maxsize=65536)
def word_polarity(word: str) -> float:
    """Return the polarity of one lower-cased German word, 0.0 when unknown."""
    polarities = load_polarities()
    value = match_inflected(word, polarities)
    if value is not None:
        return value
    # Negative prefix on a positive word: "unfreundlich", "unzuverlässig".
    if word.startswith("un") and len(word) > 6:
        base = match_inflected(word[2:], polarities)
        if base is not None and base > 0:
            return -base
    # German compounds carry the meaning of their last part: "Lieferverzögerung". Heads
    # match only whole or with a plural/case ending, since short stems found inside
    # longer words are mostly accidents ("Umfragen" is no "Rage").
    for start in range(3, len(word) - MIN_COMPOUND_HEAD + 1):
        head = word[start:]
        for ending in COMPOUND_ENDINGS:
            if head.endswith(ending) and len(head) - len(ending) >= MIN_COMPOUND_HEAD:
                value = polarities.get(head[: len(head) - len(ending)])
                # The longest known head decides, even when it is neutral: a
                # "Mehrwertsteuer" is a "Steuer", not "teuer".
                if value is not None:
                    return value
    return 0.0
