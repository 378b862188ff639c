"""How English words are framed around a risk word: the same words as a figure of speech (cut out before the
rules run), denied, under way, or joked about. Kept apart from :mod:`.rules_en`, which says what each risk
statement is; :mod:`.rules` applies both, with the Korean ones in :mod:`.rules_ko`.
"""
from __future__ import annotations

# Cut out before the rules run: the same words used as a figure of speech.
FIGURATIVE = [
    r"\bkilling (?:me|my \w+)\b", r"\bmurder(?:ing)? (?:me|on my \w+)\b", r"\bdying (?:to|for|of|here)\b",
    r"\bto die for\b", r"\b(?:bored|scared|worried|starving|freezing) to death\b",
    r"\b(?:died|dying|die) (?:of )?laugh(?:ing|ter)\b", r"\b(?:killed|kill|slay(?:ed)?) (?:it|time)\b",
    r"\b(?:would|i'?d|could) kill for\b", r"\bdead (?:tired|on my feet)\b",
    r"\bi'?m dead\b(?= ?(?:lol|lmao|haha|😂|,? that))",
    r"(?<!threatening to )(?<!threatened to )(?<!threatens to )(?<!he'll )(?<!she'll )"
    r"(?<!they'll )(?<!he will )(?<!she will )\b(?:kill|shoot) me(?: now)?\b",
    r"\brather die than\b", r"\bcould (?:just )?die\b", r"\b(?:almost|nearly) (?:gave me|had) a heart attack\b",
    r"\b(?:phone|battery|laptop|car|plant|brain)\w* (?:is )?(?:about to )?(?:die|dying|died|dead)\b",
    r"\b(?:death|end) of me\b", r"\bdie of (?:happiness|embarrassment|cringe|boredom|shame|joy)\b",
    r"\bwant to die of (?:happiness|embarrassment|joy)\b",
    r"\bif i (?:have to|hear|see) .{0,60}(?:i'?ll|i'?m going to|gonna) (?:shoot|kill) myself\b",
    (r"(?<!\bhe)(?<!\bshe)(?<!\bthey)(?<!\bhe )(?<!\bshe )(?<!\bthey )(?<!\bhe is )(?<!\bshe is )(?<!\bhe's )"
     r"(?<!\bshe's )\b(?:going to|gonna|will|'ll|would) (?:\w+ly )?(?:kill|murder|strangle) (?:me|you|him|her|my \w+) "
     r"(?:if|when)\b(?!.{0,80}\b(?:i'?m (?:dead )?serious|i mean it|not joking|for real)\b)"),
    # "if my sister borrows my jumper again i'll kill her": a threat on condition of a small offence repeated.
    r"\bif (?:\w+ ){1,8}(?:again|one more time)\b.{0,20}\b(?:i'?ll|i will|gonna) (?:kill|murder|strangle) (?:him|"
    r"her|them|you)\b",
    r"\b(?:kill|murder|strangle|shoot) (?:the|my) (?:laptop|printer|router|computer|phone|wifi|burger)\b",
    # Topics, not plans: prevention, awareness, helplines, lessons, a job ("we had a suicide prevention talk").
    (r"\b(?:suicide|self[- ]?harm|overdose|drug|opioid|mental health) (?:prevention|awareness|hotline|helpline|"
     r"crisis line|lifeline|charity|fundraiser|training|statistics|rates?|barriers?|research)\b"),
    (r"\b(?:prevent(?:ing)?|prevention of|awareness (?:of|about)|(?:class|lesson|lecture|workshop|talk|seminar|as"
     r"sembly|"
     r"documentary|essay|article|podcast|training|course|module|report|project)(?:e?s)? (?:on|about)|"
     r"(?:learn(?:ed|t|ing)?|taught|teaching) (?:us )?about) (?:teen |youth |male |student )?(?:suicides?|self[- "
     r"]?harm|"
     r"overdoses?|heart attacks?|strokes?|seizures?)\b(?! (?:methods?|ways?|tips))"),
    # A course, the news or a report that covers the subject ("the first aid course covered heart attacks").
    (r"\b(?:course|class|lesson|training|module|workshop|lecture|news|article|report|documentary|podcast|study|"
     r"research|statistics|paper)\b.{0,30}\b(?:overdoses?|suicides?|self[- ]?harm|heart attacks?|strokes?|seizures?)\b"
     r"(?! (?:methods?|ways?|tips))"),
    r"\b(?:overdoses|suicides)\b (?:are|have been|were) (?:rising|up|increasing|falling|down)\b",
    r"\b(?:rise|increase|spike|drop) in (?:overdoses|suicides)\b",
    r"\b(?:sees?|treats?|treated|deals? with|responds? to|handles?) (?:\w+ )?(?:overdoses?|heart attacks?|strokes"
    r"|seizures)\b",
    # Daily medication said as such, the whole message ("took my pills today", "just took my meds, off to bed").
    (r"^(?:i )?(?:just |finally |already )?(?:took|taken|had|done) (?:my|the) (?:daily |morning |evening |night(?"
     r":ly)? |"
     r"usual |regular |bedtime )?(?:pills?|meds|medication|medicine|tablets?|vitamins|antibiotics|inhaler)(?: for"
     r" (?:today|"
     r"the day|tonight))?(?: (?:today|this morning|this evening|tonight|already|on time|like (?:the|my) doctor said|"
     r"as prescribed))?[.!]*(?:,? (?:and )?(?:now )?(?:i'?m )?(?:off to bed|going to (?:bed|sleep)|heading to bed|"
     r"gonna sleep|time for bed))?[.! ]*$"),
    # Over and done with: "had a heart attack years ago but he's fine now", "used to self-harm but doing well".
    (r"\b(?:had|survived|went through|used to)\b.{0,40}\b(?:years|months|a long time) ago\b.{0,20}\b(?:but|and)\b"
     r".{0,30}"
     r"\b(?:fine|okay|ok|well|healthy|better|great)\b|\b(?:had|survived|went through|used to)\b.{0,40}\b(?:years|"
     r"months|a long time) ago\b.{0,15}"
     r"\b(?:and|but) (?:now|today)\b"),
    (r"\bused to\b.{0,40}\bbut\b.{0,40}\b(?:fine|okay|doing (?:really |so )?(?:well|great|better)|healthy|recover"
     r"ed)\b"),
    # A place named for the view, the photos or the company ("at the bridge taking photos",
    # "roof terrace at the party").
    (r"\b(?:at|on) the (?:bridge|roof(?:top)?(?: terrace| bar)?|cliffs?|edge)\b.{0,30}\b(?:taking (?:photos|pictures)|"
     r"photos|view|waiting for (?:my|a) (?:friend|mate|date|bus|mum|mom|dad|boyfriend|girlfriend|partner)|meeting"
     r"|picnic|"
     r"party|lunch|dinner|drinks|sunset|with (?:my|friends))\b(?!.*\b(?:jump|end it|die|kill|goodbye|last)\b)"),
    r"\bsaid (?:my|our) goodbyes? (?:at|to (?:everyone|my \w+) at) (?:the )?(?:airport|station|party|gate|door|of"
    r"fice)\b",
]

# Risk words that the person explicitly denies; a denial lowers the rule to 'low', never to 'none'.
DENIALS = [
    r"\b(?:not|never) (?:suicidal|going to (?:hurt|kill) myself)\b",
    r"\bwould never (?:kill|hurt) myself\b", r"\bnot (?:thinking about|planning) (?:suicide|to die)\b",
    r"\bno (?:plan|intention)s? (?:to|of) (?:hurt|kill)(?:ing)? myself\b",
]

# A plan or a threat said with one of these is under way, not only thought of: it is imminent.
UNDER_WAY = (r"\b(?:right now|rn|tonight|today|(?<!for )(?<!by )(?<!until )now(?! and then)|"
             r"in (?:a few|an?|one|two|\d+|five|ten|twenty|thirty) (?:minutes?|mins?|hours?)|already|on my way|"
             r"heading (?:to|there|out|over)|going now|about to|"
             r"(?:once|when|after) (?:the kids|everyone|everybody|they|my \w+)(?: are| is|'s|'re| goes?| go| fall) "
             r"(?:asleep|to bed|out|gone))\b")

# Laughter markers: they soften threats against others ("I'll kill her haha"), never self-harm.
JOKING = r"\b(?:lol|lmao|haha\w*|jk)\b|😂|🤣"
