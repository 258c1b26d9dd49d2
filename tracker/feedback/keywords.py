"""Keywords that put a comment into a feedback category, per category and language.

Lower case; a phrase matches as whole words; a trailing "*" matches any word ending
("disappoint*" finds "disappointed", "disappointing"). Edit freely, then bump
RULES_VERSION in tracker.feedback.scoring so stored entries get rescored.
"""

# Something concrete is broken, missing or failed for this backer: support work.
PROBLEM = {
    "en": (
        "bug", "bugs", "buggy", "crash*", "glitch*", "error*", "broken", "broke", "cracked",
        "damaged", "defective", "faulty", "torn", "scratched", "dented", "corrupt*",
        "invalid", "doesn't work", "does not work", "not working", "stopped working",
        "won't start", "won't load", "won't launch", "won't open", "doesn't load",
        "doesn't open", "can't log in", "cannot log in", "can't login", "unable to",
        "does nothing", "missing", "never arrived", "never received", "haven't received",
        "hasn't arrived", "have not received", "didn't receive", "did not receive",
        "wrong item", "wrong size", "wrong color", "charged twice", "double charged",
        "declined", "payment failed", "lost in the mail", "got lost", "was lost", "stuck",
        "times out", "timed out", "timing out", "instead of the", "never showed up",
        "held at customs", "held by customs", "holding my", "404", "dead link",
        "black screen", "freez*", "froze", "disconnect*", "not showing", "doesn't show",
        "won't let me", "doesn't let me", "can't select", "can't choose", "can't pick",
        "only got", "only received", "received the wrong", "is empty",
        "snapped", "bent", "warped", "chipped", "crushed", "smashed", "shattered", "ripped",
        "water damage*", "isn't showing", "not showing up", "doesn't appear", "isn't appearing",
        "not appearing", "disappeared", "already redeemed", "already been redeemed",
        "already been used", "expired", "no idea where", "hasn't moved", "has not moved",
        "not moving", "no confirmation", "never got", "didn't get", "haven't got",
        "billed twice", "charged me twice", "double charge*",
        "misprint*", "printed wrong", "upside down", "logs me out", "logged me out",
        "keeps logging me out",
        # rules v4: faults told without a fault word -- a carrier or survey claiming what
        # did not happen, a box that came without something, damage by its shape
        "says delivered", "shows delivered", "marked as delivered", "not delivered",
        "survey says", "came without", "arrived without", "shipped without", "bricked",
        "nothing responds", "no sound", "crease*", "a dent", "big dent", "dents in",
        "customs want*", "bounced", "wrong postcode", "wrong address", "wrong zip",
        "by someone else", "loads forever",
    ),
    "de": (
        "fehler*", "bug", "bugs", "absturz", "abstürze", "stürzt", "abgestürzt", "kaputt",
        "defekt*", "beschädigt*", "gebrochen", "abgebrochen", "zerbrochen", "gesprungen",
        "gerissen", "verbeult", "zerkratzt", "eingedrückt", "funktioniert nicht",
        "funktionieren nicht", "geht nicht", "klappt nicht", "lädt nicht", "startet nicht",
        "reagiert nicht", "nicht angekommen", "nie angekommen", "nicht erhalten",
        "nicht bekommen", "nicht einloggen", "nicht anmelden", "fehlt", "fehlen",
        "fehlende*", "falsche größe", "falsche farbe", "falsches paket", "falsch geliefert",
        "doppelt abgebucht", "doppelt belastet", "doppelt bezahlt", "doppelt berechnet",
        "abgelehnt", "schlägt fehl", "fehlgeschlagen", "verloren", "sind weg", "ist weg",
        "hängt sich", "hängt ständig", "hängt fest", "steckt fest", "beim zoll", "zoll hält",
        "404", "friert", "eingefroren", "lässt mich nicht", "lässt mich kein", "ist leer",
        "zerdrückt", "eingerissen", "zerrissen", "verbogen", "gequetscht", "zerquetscht",
        "angeschlagen", "zerbeult", "wasserschaden", "ungültig", "bereits eingelöst",
        "schon eingelöst", "abgelaufen", "bewegt sich nicht", "tut sich nichts",
        "keine bestätigung*", "nie bekommen", "keine ahnung wo", "wird nicht angezeigt",
        "taucht nicht auf", "verschwunden",
        "fehldruck*", "falsch gedruckt", "verkehrt herum", "meldet mich ab",
        "mich ständig ab", "abgemeldet",
        # rules v4: see above; "bei mir" tells what happened to this backer's copy
        "laut dhl", "laut dpd", "laut ups", "laut gls", "laut hermes", "laut tracking",
        "nicht zugestellt", "als zugestellt", "fehlte*", "kam ohne", "kamen ohne",
        "lag bei mir", "bei mir lag", "bei mir fehlt*", "ton weg", "kein ton", "keinen ton",
        "reagiert auf nichts", "reagiert auf nix", "reagiert auf garnix",
        "reagiert auf gar nichts", "*fehler*", "knick*", "delle*", "zoll will", "zoll verlangt",
        "zweimal abgebucht", "zweimal belastet", "zweimal berechnet", "vertippt",
        "falsche adresse", "falsche plz", "von jemand anderem", "lädt ewig", "bricht ab",
        "bricht dann ab", "bricht immer ab",
    ),
}  # fmt: skip

# Something a backer expects to happen, said not to happen ("won't even install", "lässt
# sich nicht installieren"): a failure, whatever the thing is. Verbs match with their
# English endings (-s, -ed, -ing); German lists the infinitive and finite forms.
FAILING_VERBS = {
    "en": (
        "work", "load", "install", "start", "launch", "open", "boot", "run", "connect",
        "sync", "download", "redeem", "activate", "unlock", "show up", "display", "print",
        "save", "log in", "sign in", "log me in", "respond", "arrive", "detect", "recognize",
        "recognise", "recognized", "recognised", "hold", "accept", "turn on", "switch on",
        "power on", "charge", "pair", "exist", "update",
    ),
    "de": (
        "installieren", "installiert", "starten", "startet", "laden", "lädt", "öffnen",
        "öffnet", "verbinden", "verbindet", "herunterladen", "einlösen", "aktivieren",
        "aktiviert", "anmelden", "einloggen", "speichern", "speichert", "drucken",
        "abspielen", "synchronisieren", "synchronisiert", "funktionieren", "funktioniert",
        "klappt", "reagiert", "öffnen", "abrufen", "ankommen", "erkannt", "erkennt",
    ),
}  # fmt: skip
FAILURE_NEGATORS = {
    "en": (
        "won't", "wont", "will not", "wouldn't", "doesn't", "doesnt", "does not", "didn't",
        "did not", "don't", "dont", "can't", "cant", "cannot", "can not", "couldn't",
        "could not", "isn't", "aren't", "wasn't", "never", "unable to", "fails to",
        "failed to", "refuses to",
    ),
    "de": ("nicht", "nicht mehr", "nie", "kaum"),
}  # fmt: skip

# Possessives: a bad experience with "my" parcel, tablet, pledge is a case for support.
OWN = {
    "en": ("my", "mine"),
    "de": ("mein", "meine", "meinen", "meinem", "meiner", "meines"),
}

# The campaign is late: a problem unless a stronger complaint makes it criticism.
DELAY = {
    "en": (
        "delay*", "late", "still waiting", "still haven't", "overdue", "behind schedule",
        "pushed back", "postponed", "still no", "still not",
    ),
    "de": (
        "verzög*", "verspät*", "immer noch nicht", "warte immer noch", "warten immer noch",
        "verschoben", "im verzug", "zu spät", "immer noch kein*", "noch immer kein*",
        "noch immer nicht",
    ),
}  # fmt: skip

# A judgement of the team or the campaign: disappointment, anger, distrust.
CRITICISM = {
    "en": (
        "ridiculous", "unacceptable", "disappoint*", "scam*", "refund*", "money back",
        "waste of", "ripoff", "rip-off", "rip off", "ripped off", "regret*",
        "unprofessional", "misleading", "lied", "lying", "lies", "promised", "outrageous",
        "overpriced", "too expensive", "terrible", "awful", "horrible", "worst",
        "don't like", "do not like", "dislike", "hate", "not happy", "unhappy",
        "not impressed", "ignor*", "no communication", "poor communication",
        "lack of communication", "radio silence", "ghosted", "a joke", "shame*",
        "embarrassing", "frustrat*", "annoy*", "angry", "furious", "fed up", "sick of",
        "tired of", "looks cheap", "look cheap", "downgrade*", "cash grab", "greedy",
        "why are you", "why did you", "why do you", "unrealistic", "underwhelming",
        "money grab", "nobody answers", "no one answers", "nobody replies", "nobody responds",
        "not okay", "not ok", "taking forever",
        "not cool", "unfair", "not fair", "slap in the face", "padding", "filler",
        "pointless", "generic", "bland", "lazy", "half-baked", "sloppy", "mediocre", "shady",
        "dishonest", "useless", "hard to trust", "can't trust", "don't trust", "goalposts",
        "nobody cares", "no one cares", "without a single update", "looks worse",
        "look worse", "worse than",
        "way too", "far too", "much too", "too steep", "too high",
        # rules v4: sarcasm and rhetorical questions ("Classy.", "Priorities??", "Is anyone
        # even still working on this?"), and a broken promise told without "promised"
        "thanks for nothing", "classy.", "real classy", "priorities??", "priorities?!",
        "interesting priorities", "strange priorities", "weird priorities", "funny how",
        "yet another", "anyone even", "even still", "whom exactly", "pick one",
        "at least explain", "at least tell", "at least answer", "at least reply",
        "not what i paid for", "than advertised", "than promised", "nothing like the",
        "ai generated", "ai-generated", "critical comments", "stopped believing",
        "hear nothing", "heard nothing",
    ),
    "de": (
        "enttäusch*", "lächerlich", "frechheit", "unverschämt", "abzocke", "betrug",
        "geld zurück", "rückerstattung", "erstattung", "unprofessionell", "versprochen",
        "gelogen", "lügen", "ignorier*", "keine kommunikation", "funkstille", "nicht gut",
        "bereue*", "ärgerlich", "ärgert", "sauer",
        "wütend", "peinlich", "katastroph*", "ein witz", "zu teuer", "überteuert",
        "wirkt billig", "sieht billig", "schlimm", "mies", "verschlechter*", "nervig",
        "nervt", "unzufrieden", "kein fortschritt", "keinen fortschritt",
        "warum habt ihr", "wieso habt ihr", "warum macht ihr", "unrealistisch",
        "geldmacherei", "abkassier*", "niemand antwortet", "keiner antwortet",
        "antwortet nicht", "antwortet ihr nicht", "dauert ewig", "nicht okay",
        "nicht in ordnung", "unfair", "nicht fair", "kein guter stil", "schlechter stil",
        "schwach", "augenwischerei", "lieblos", "billig gemacht", "unseriös", "zumutung",
        "niemand mehr", "keiner mehr", "kein vertrauen", "schlechter als", "schlechter aus",
        "viel zu", "deutlich zu", "zu hoch",
        # rules v4: see above
        "danke für nichts", "danke für nix", "prioritäten??", "prioritäten?!",
        "komische prioritäten", "seltsame prioritäten", "gehts noch", "geht's noch",
        "überhaupt noch jemand", "überhaupt jemand", "für wen genau", "entscheidet euch",
        "erklärt wenigstens", "sagt wenigstens", "antwortet wenigstens", "echt daneben",
        "voll daneben", "total daneben", "völlig daneben", "ziemlich daneben",
        "unterirdisch", "fremdwort", "08/15", "nicht das, wofür", "nicht das wofür",
        "als beworben", "als versprochen", "als angekündigt", "als auf den kampagnen*",
        "wenig zu tun", "nichts zu tun", "ki-generiert", "kritische kommentare",
        "hört man nix", "hört man nichts", "monatelang nix", "monatelang nichts", "naja",
    ),
}  # fmt: skip

# A wish or proposal for the project.
SUGGESTION = {
    "en": (
        "would be great if", "would be nice", "would be cool", "would be awesome",
        "would love", "would like to see", "it'd be", "i'd suggest", "suggest*",
        "please add", "please consider", "consider adding", "consider a", "could you add",
        "could you also", "could you include", "could you make", "could you offer",
        "could you post", "can you add", "you should add", "you should consider",
        "how about", "what about adding", "any chance of", "any chance you", "idea:",
        "feature request", "wishlist", "wish list", "i wish", "maybe add", "maybe consider",
        "why not add", "add an option", "stretch goal idea", "as a stretch goal",
        "would be a", "would make it", "please think about", "think about adding",
        "would help", "would be helpful", "would be useful", "would be handy",
        "would make this", "would make the", "please let", "let us choose", "let us pick",
        "please allow", "allow us to", "give us the option", "an option to", "option for",
        "have you thought about", "have you considered", "did you consider",
        "ever thought about", "i'd pay", "i would pay", "would gladly pay", "i'd buy",
        "i would buy", "i'd love",
        "please offer", "please include", "please provide", "please bring",
        # rules v4: an offer on a condition ("A Linux build and I'd double my pledge"),
        # a wish named as such, "would be huge"
        "and i'd double", "and i'd up", "and i'd upgrade", "and i'd pay", "and i'd buy",
        "and i'd back", "and i would pay", "and i'm in", "would happily", "i'd happily",
        "would be huge", "would be perfect", "would be amazing", "you could", "could you do",
        "idea for", "small wish", "one wish", "wish:", "please put",
    ),
    "de": (
        "wäre toll", "wäre schön", "wäre cool", "wäre super", "wäre gut", "wäre nett",
        "wäre klasse", "wäre es möglich", "wie wäre es", "was haltet ihr von",
        "vorschlag", "schlage vor", "idee:", "bitte fügt", "bitte baut", "bitte macht",
        "bitte bietet", "hinzufügen", "einbauen", "ergänzen", "anbieten", "könntet ihr",
        "ihr solltet", "solltet ihr", "ich fände", "ich würde mir", "wünsche mir",
        "wunsch", "vielleicht eine", "vielleicht ein", "vielleicht noch", "hinzu",
        "wäre ein", "wäre eine", "als stretch goal", "denkt bitte",
        "wäre praktisch", "wäre hilfreich", "wäre nützlich", "wäre sinnvoll", "wäre genial",
        "wäre fein", "würde helfen", "würde gern", "würde gerne", "hätte gern", "hätte gerne",
        "schon mal überlegt", "habt ihr überlegt", "habt ihr daran gedacht", "lasst uns",
        "besser machen", "interessanter machen",
        "attraktiver machen", "einfacher machen", "man könnte", "ihr könntet",
        # rules v4: see above; spoken "wär"/"würd" forms
        "und ich verdoppel*", "und ich würd*", "und ich zahl*", "würd ich", "würde ich sofort",
        "wär toll", "wär schön", "wär cool", "wär super", "wär gut", "wär mega", "wär nice",
        "wäre nice", "wären nice", "wären toll", "wären schön", "wären super", "wären cool",
        "wären gut", "wär wichtig", "wäre wichtig", "wär echt wichtig", "wär echt gut",
        "wär echt cool", "wär echt toll", "wär ein traum", "wäre ein traum", "wie wärs",
        "wie wär's", "idee für*", "idee fürs", "option für", "machen pls", "machen bitte",
    ),
}  # fmt: skip

# Words that open a question ending in "?": "Is the EU price final?".
QUESTION_OPENERS = {
    "en": (
        "when", "what", "what's", "how", "where", "why", "who", "which", "is", "are", "can",
        "could", "will", "would", "does", "do", "did", "has", "have", "should", "any news",
        "any update", "anyone",
    ),
    "de": (
        "wann", "was", "wie", "wo", "woher", "wohin", "warum", "wieso", "weshalb", "welche*",
        "wer", "gibt es", "gibt's", "kann", "können", "könnt", "ist", "sind", "wird",
        "werden", "hat", "habt", "soll", "muss", "bekomme", "kommt", "weiß jemand",
    ),
}  # fmt: skip

# Asking without a question form: "Curious whether the soundtrack is on Bandcamp".
QUESTION_PHRASES = {
    "en": (
        "wondering if", "wondering whether", "wondering when", "wondering how", "i wonder",
        "curious whether", "curious if", "curious when", "curious how", "curious to know",
        "love to know", "like to know", "want to know", "does anyone know", "anyone know",
        "quick question", "question:", "can anyone tell", "can someone tell",
        "can someone explain", "not sure if", "not sure whether",
    ),
    "de": (
        "mich würde interessieren", "würde mich interessieren", "würde gern wissen",
        "würde gerne wissen", "möchte wissen", "wüsste gern", "wüsste gerne",
        "frage mich", "kurze frage", "frage:", "weiß jemand", "kann mir jemand sagen",
        "kann jemand sagen", "bin mir nicht sicher, ob", "nicht sicher, ob",
    ),
}  # fmt: skip

# Words that make a question even without "?": "When do surveys go out".
QUESTION_WITHOUT_MARK = {
    "en": (
        "when",
        "where",
        "which",
        "how do",
        "how can",
        "how long",
        "how much",
        "any news",
        "any word",
        # an auxiliary opens only questions: "Is the box compatible with sleeves"
        "is",
        "are",
        "does",
        "did",
        "can",
        "will",
        "has",
        "have",
    ),
    "de": (
        "wann",
        "wo",
        "welche*",
        "wie kann",
        "wie lange",
        "wie viel",
        "gibt es schon",
        "gibt es",
        "gibts",
        "gibt's",
        "mit wem",
        "bei wem",
        "an wen",
        "kommt die",
        "kommt der",
        "kommt das",
        "wird die",
        "wird der",
        "wird das",
        # a sentence opened by its finite verb asks (or orders, which "fügt", "baut"
        # catch earlier); first-person forms ("Habe ...") are excluded on purpose
        "ist",
        "sind",
        "kann",
        "können",
        "könnt",
        "wird",
        "werden",
        "hat",
        "habt",
        "soll",
        "sollen",
        "gibt",
        "kommt",
        "kommen",
        "passt",
        "passen",
        "läuft",
        "funktioniert",
        "liefert",
        "versendet",
        "verschickt",
    ),
}

# Openings that make a proposal: imperatives and "maybe ...".
SUGGESTION_OPENERS = {
    "en": ("add", "maybe", "consider", "include", "offer", "make it", "please make",
           "let backers", "let us", "let players", "let people"),
    "de": ("fügt", "baut", "bietet", "macht doch", "bitte fügt", "bitte baut", "bitte denkt",
           "bitte bietet", "bitte macht", "vielleicht", "denkt über"),
}  # fmt: skip

# A problem reported as solved, with thanks: praise, not a support case.
RESOLVED = {
    "en": ("fixed", "solved", "resolved", "replaced", "replacing", "sorted out", "works now",
           "patched", "patching", "fixing"),
    "de": ("gelöst", "behoben", "ersetzt", "repariert", "funktioniert jetzt", "klappt jetzt",
           "funktioniert wieder", "gefixt", "gefixed"),
}  # fmt: skip

# Crowdfunding terms that contain a keyword but say nothing about it: a "late pledge" is
# a pledge after the campaign ended, not a delay. Masked before any keyword is looked for.
NEUTRAL_TERMS = (
    "late pledge", "late pledges", "late backer", "late backers", "came in late",
    # rules v4: idioms and words that only contain a keyword ("Fehlerfrei angekommen")
    "let us know", "you could say", "hold your breath", "holding my breath", "fehlerfrei",
    "fehlerlos",
)  # fmt: skip

# Negators that turn a praise word around: "not great", "nicht so gut".
PRAISE_NEGATORS = ("not", "never", "no", "nicht", "nie", "kein", "keine")

# Thanks, enthusiasm, compliments.
PRAISE = {
    "en": (
        "great", "awesome", "amazing", "fantastic", "love", "loved", "loving", "thank*",
        "thx", "kudos", "congrat*", "well done", "good job", "nice work", "beautiful",
        "gorgeous", "stunning", "impressive", "impressed", "excellent", "brilliant",
        "perfect", "polished", "can't wait", "excited", "worth every", "best",
        "transparen*", "honest", "appreciate*", "fun", "smooth*", "happy with",
        "not bad", "keep it up", "keep up the", "good", "nice", "cool", "wow",
        "incredible", "outstanding", "superb", "lovely", "wonderful", "blown away", "top notch",
        # rules v4: praise in images and slang ("gave me goosebumps", "take my money")
        "slap", "slaps", "unreal", "deserves a raise", "mesmeriz*", "goosebumps",
        "take my money", "worth the wait", "miles ahead", "piece of art", "work of art",
    ),
    "de": (
        "super", "toll*", "klasse", "genial", "großartig", "fantastisch", "hervorragend",
        "wunderbar", "wunderschön", "schön*", "perfekt", "danke*", "dank", "glückwunsch",
        "gratulation", "gut gemacht", "begeistert", "freue", "freuen", "spaß",
        # whole words: "beste*" also found "Bestellungen"
        "beste", "besten", "bester", "bestes",
        "transparen*", "ehrliche*", "nicht schlecht", "weiter so", "respekt", "geil",
        "stark", "mega", "wow", "gut", "besser", "flüssig*", "liebe", "verdient",
        "lob", "unglaublich", "wahnsinn", "traumhaft", "grandios", "spitze", "gelungen",
        "zufrieden",
        # rules v4: see above
        "der hammer", "hypnotisier*", "gänsehaut", "daumen hoch", "nehmt mein geld",
        "kunstwerk",
    ),
}  # fmt: skip

# Sharing, fan content, greetings and public service notes: "other", however cheerful.
# Checked after problems and criticism ("Heads up, my parcel is damaged" stays a problem).
SHARING = {
    "en": ("psa", "fan art", "fanart", "tagging", "happy holidays", "merry christmas",
           "happy new year", "who else", "other backers in", "anyone else from", "meet up",
           "link in my profile", "as a kid"),
    "de": ("achtung:", "fanart", "fan-art", "frohe weihnachten", "frohes neues",
           "guten rutsch", "noch wer aus", "wer noch aus", "spieleabend", "als kind",
           "damals auf dem"),
}  # fmt: skip
