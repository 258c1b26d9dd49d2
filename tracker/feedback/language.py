"""Tell English, German and other languages apart from function words, cheaply and offline."""

import re

# Function words and very common social-media words; a text's language is the one whose
# list it hits most. French, Spanish, Italian, Dutch and Portuguese are listed only so
# that their texts are recognised and marked "other" instead of falling back to English.
# Words that are common in both English and German ("in", "so", "was", "will") are left
# out of both lists; overlaps between the other languages do no harm.
# (The lists are kept as text, not list literals, so that they read like vocabulary.)
MARKERS: dict[str, frozenset[str]] = {
    "en": frozenset(
        """the a an and or but of to is are were be been it its this that these those
        i you he she we they my your our their me us them what when where why how who which
        would can could should does do did have has had not no yes with for from at on
        just still any some about after before than then there here very really please thanks
        thank great awesome love amazing cool nice good bad when's what's it's i'm don't can't
        isn't won't didn't doesn't haven't backed backer backers update shipping game hi
        hello guys folks wow all more than into because every worth""".split()  # noqa: SIM905
    ),
    "de": frozenset(
        """der die das den dem des ein eine einen einem einer eines und oder aber nicht kein
        keine keinen keinem keiner ist sind waren wird werden wurde hat haben habe hatte
        ich du er sie es wir ihr mich mir dich dir uns euch mein meine meinen euer eure ihre
        wann wie was wo warum wieso weshalb welche welcher welches wer mit für von zu zum zur
        auf bei nach aus über unter noch schon auch nur sehr doch mal gibt gibt's kann können
        könnt könnte möchte soll sollte muss müssen dass weil wenn ob als auch bitte danke
        leider endlich wieder immer jetzt heute toll tolle schön geil schade super klasse
        hallo zusammen gut gemacht vielen dank grüße freue gerne geht kommt spiel jeden jede
        jeder diese dieser dieses man sich ihn ihm seit beim vom im am ins durch gegen ohne
        bis damit dann denn hier dort alle alles ganz gar nichts mehr wert""".split()  # noqa: SIM905
    ),
    "fr": frozenset(
        """le la les un une des et ou est sont je tu il elle nous vous ils mon ma mes votre
        avec pour dans sur pas ne que qui quand comment pourquoi merci très bien c'est""".split()  # noqa: SIM905
    ),
    "es": frozenset(
        """el la los las un una y o es son yo tú él ella nosotros con para por en no que
        cuando cómo por qué gracias muy bien pero está están""".split()  # noqa: SIM905
    ),
    "it": frozenset(
        """il lo la gli le un una e o è sono io tu lui lei noi voi con per non che quando
        come perché grazie molto bene ma questo""".split()  # noqa: SIM905
    ),
    "nl": frozenset(
        """de het een en of is zijn ik jij hij zij wij jullie met voor niet geen wanneer hoe
        waarom bedankt heel goed maar nog ook wel""".split()  # noqa: SIM905
    ),
    "pt": frozenset(
        """o a os as um uma e ou é são eu você ele ela nós com para por não que quando como
        porque obrigado obrigada muito bem mas está""".split()  # noqa: SIM905
    ),
}

# Letters that only German (or only the Romance languages) use tip the balance.
GERMAN_LETTERS = re.compile(r"[äöüß]", re.IGNORECASE)
ROMANCE_LETTERS = re.compile(r"[àâçéèêëîïôœùûñ¿¡ãõ]", re.IGNORECASE)
GERMAN_SPELLINGS = ("sch", "ung", "eit", "cht", "tz", "ei", "ie", "chen", "lich")
ENGLISH_SPELLINGS = ("th", "wh", "ing", "ea", "ou", "ght", "tion", "ly ")
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
LATIN_LETTER = re.compile(r"[a-zA-ZäöüÄÖÜß]")


def detect_language(text: str) -> str:
    """Return 'en', 'de' or 'other' for a comment."""
    words = [word.lower() for word in WORD.findall(text)]
    scores = {lang: 0.0 for lang in MARKERS}
    for word in words:
        for lang, markers in MARKERS.items():
            if word in markers:
                scores[lang] += 1.0
    # Umlauts and ß are strong evidence for German even in a two-word comment.
    scores["de"] += 1.5 * min(len(GERMAN_LETTERS.findall(text)), 2)
    romance = min(len(ROMANCE_LETTERS.findall(text)), 2)
    for lang in ("fr", "es", "it", "pt"):
        scores[lang] += 0.75 * romance
    # Spelling patterns break ties and decide texts without function words
    # ("Absolut beeindruckende Verarbeitung"), weighing less than one function word.
    lowered = text.lower()
    scores["de"] += 0.2 * sum(lowered.count(gram) for gram in GERMAN_SPELLINGS)
    scores["en"] += 0.2 * sum(lowered.count(gram) for gram in ENGLISH_SPELLINGS)
    best = max(scores, key=lambda lang: (scores[lang], lang in ("en", "de")))
    if scores[best] == 0:
        # No evidence at all: Latin-script comments in an English-first feed are most
        # likely English ("Awesome!!", "GG"); emoji, numbers or other scripts are not.
        return "en" if LATIN_LETTER.search(text) else "other"
    return best if best in ("en", "de") else "other"
