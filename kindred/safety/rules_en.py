"""English crisis rules, written against the normalized text (lower case, leetspeak undone).

Each rule is (pattern, risk, category, reason). Figures of speech are listed
separately: they are cut out of the text before the rules run, so "this
homework is killing me" never reaches them, while "I want to die" always does.
"""
from __future__ import annotations

_ME = r"(?:my ?self|me)"
_PERSON = (r"(?:him|her|them|everyone|everybody|people|the kids|my (?:ex|dad|father|mom|mother|brother|sister|wife|"
           r"husband|boyfriend|girlfriend|roommate|boss|coworker|step ?father|step ?mother|step ?dad|step ?mom|"
           r"neighbou?r|teacher|son|daughter|family|partner|uncle|aunt|classmates?))")
_NOW = r"(?:tonight|right now|now|today|in (?:a few|\d+|five|ten) minutes|after this)"
_METHOD = r"(?:pills?|noose|rope|gun|knife|blade|razor|painkillers|sleeping pills|bleach)"
_PLACE = r"(?:bridge|ledge|roof|rooftop|edge|tracks|cliff|railing|balcony)"
_SUICIDE = r"(?:su+i?[cs]+i?d(?:e|al)?|sewerslide|unaliv\w*|kms)"
# A role, a story or "a friend" that the person marks as themselves: the frame does not make it fiction.
_SELF_AS_OTHER = (r"(?:\((?:i mean |it'?s |that'?s )?me\)|\b(?:i mean|meaning|that is|which is) me\b|"
                  r"\bi'?m (?:a|the|this) (?:guy|girl|man|woman|boy|person|kid|teen|character|one) who\b|"
                  r"\b(?:not|isn'?t|ain'?t) (?:really|actually|just) (?:a )?(?:role(?:[ -]?play)?|story|fiction|"
                  r"hypothetical|game|joke)\b|\basking for a friend\b|"
                  r"\b(?:the|my|this) (?:character|guy|girl|person|friend) is (?:really |actually |basically )?me\b)")
_THEIR_DEATH = (r"(?:kill(?:s|ing)? (?:him|her|them)sel(?:f|ves)|(?:end|take)(?:s|ing)? (?:his|her|their) (?:own )?"
                r"life|wants? to die|(?:hang|drown|shoot)(?:s|ing)? (?:him|her|them)sel(?:f|ves))")

SELF_HARM = [
    # imminent: a plan with a time, means at hand, or an act already under way
    ((rf"\b(?:going to|gonna|about to|will|i'?ll|i'?m)\b.{{0,30}}\b(?:kill {_ME}|end (?:it|my life|it all)|jump|do it|"
     rf"take (?:them|the pills)|{_SUICIDE})\b.{{0,30}}\b{_NOW}\b"), "imminent", "plan with a time"),
    (rf"\b{_NOW}\b.{{0,30}}\b(?:kill {_ME}|end (?:it|my life)|jump(?:ing)?|do it|{_SUICIDE})\b", "imminent",
     "plan with a time"),
    ((rf"\b{_METHOD}\b.{{0,30}}\b(?:in my hand|in front of me|(?:is|are) (?:ready|tied)|to my head|"
     r"(?:i'?m )?taking (?:them|it) now)"), "imminent", "means at hand"),
    (rf"\b(?:the |a )?{_METHOD} (?:is|are) (?:ready|tied)\b", "imminent", "means at hand"),
    (rf"\bi'?m (?:\w+ )?(?:standing |sitting |actually )?(?:on|at) (?:the |a |my )?(?:\w+ )?{_PLACE}", "imminent",
     "at a dangerous place"),
    ((r"\b(?:took|swallowed|taken|drank|have taken)\b.{0,25}\b(?:all (?:my|the|of)|whole bottle|bottle of|"
     r"bleach|(?:\d+|all) pills|the pills)"), "imminent", "has taken an overdose"),
    (r"\b(?:just |already )?(?:cut|slit|slashed) my wrists?\b|\balready swallowed\b", "imminent",
     "injured now"),
    (r"\bsuicide note\b.{0,40}\b(?:now|after|tonight)\b|\bwriting my suicide note\b", "imminent",
     "writing a note"),
    ((r"\b(?:tonight is the night|doing it tonight|jumping in)\b|\bengine running\b.{0,30}\bgarage\b|"
     r"\bgot everything i need to end\b"), "imminent", "plan with a time"),
    # high: active thoughts of suicide, method seeking, farewells ("killmyself": spaced letters rejoined)
    (rf"\b(?:kill(?:ing)?|hang(?:ing)?|shoot(?:ing)?|drown(?:ing)?|off(?:ing)?) ?{_ME}\b(?! (?:if|when))",
     "high", "thoughts of killing oneself"),
    (rf"\b{_SUICIDE}\b", "high", "suicide"),
    (r"\b(?:end(?:ing)?|take|taking) (?:my (?:own )?life|it all)\b|\bending it\b", "high", "ending one's life"),
    (r"\b(?:want(?:ed)?|wanna|wish|would like|need) (?:to|i (?:was|were)|i could) (?:just )?(?:die|be dead|dead)\b",
     "high", "wish to die"),
    (r"\b(?:don'?t|do not|doesn'?t) want to (?:be alive|live|exist|be here)\b|\bwant it (?:all )?to be over\b",
     "high", "not wanting to live"),
    ((r"\bwon'?t be (?:a burden|a problem|around|here|anyone'?s problem)\b.{0,20}\b(?:longer|long|anymore)\b|"
     r"\bwon'?t be (?:anyone'?s|a) (?:problem|burden) anymore\b"), "high", "indirect farewell"),
    ((r"\b(?:this is|it'?s) (?:my )?(?:last message|goodbye|the last time)\b|\blast time you'?ll hear\b|"
     r"\b(?:letters?|notes?) (?:to|for) my (?:family|parents|kids|children|wife|husband)\b|"
     r"\bso (?:they|you) understand why\b"), "high", "farewell message"),
    ((r"\b(?:soon|shortly) (?:i won'?t|nobody will|no one will)\b|\bi'?ve (?:decided|made my decision)\b.{0,25}"
     r"\b(?:done|goodbye|bye|thank you for everything)\b"), "high", "indirect farewell"),
    (r"\b(?:painless|least painful|quickest|easiest) way to die\b|\bhow (?:many|much)\b.{0,40}\b(?:to die|"
     r"overdose|not wake up|kill)\b|\bhow to (?:hang|kill|drown|shoot) {_ME}\b".replace("{_ME}", _ME),
     "high", "looking for a method"),
    (r"\bways to (?:end my life|die|kill {_ME})\b".replace("{_ME}", _ME), "high", "looking for a method"),
    (rf"{_SELF_AS_OTHER}.{{0,120}}{_THEIR_DEATH}|{_THEIR_DEATH}.{{0,120}}{_SELF_AS_OTHER}", "high",
     "speaking of oneself through a role or a story"),
    # medium: passive wishes, hopelessness, self-harm without danger to life
    (r"\b(?:wish|want|like|hope) (?:to |i could |i would |i'?d )?(?:just )?(?:disappear|vanish)", "medium",
     "wish to disappear"),
    ((r"\b(?:better off|happier|relieved|easier)\b.{0,20}\b(?:without me|if i (?:was|were|wasn'?t) "
     r"(?:gone|here|around|dead))\b"), "medium", "others better off without me"),
    (r"\b(?:don'?t|not|never) (?:want to |to )?wake up\b|\bdidn'?t wake up\b|\bnot wake up\b", "medium",
     "wish not to wake up"),
    ((r"\b(?:point (?:of|in) (?:living|being alive|life)|no reason to (?:live|go on)|nothing (?:left )?to live for|"
     r"(?:life|living) (?:isn'?t|is not) worth|not worth living)\b"), "medium", "no reason to live"),
    ((r"\b(?:no way out|no escape|can'?t (?:go on|keep going)|can'?t do this anymore|"
     r"nothing left for me)\b"), "medium", "hopelessness"),
    ((r"\b(?:tired|sick) of (?:existing|being alive|living)\b|\bwish i (?:had never been|was never|wasn'?t|"
     r"were never) born\b|\bwish i didn'?t exist\b"), "medium", "tired of living"),
    (r"\b(?:nobody|no one|no-one) would (?:even )?(?:notice|miss me|care)\b", "medium", "nobody would miss me"),
    ((r"\b(?:giving away|gave away) my (?:stuff|things|belongings)\b|\bgiving my (?:stuff|things) away\b|"
     r"\bwon'?t need them\b"), "medium", "farewell signs"),
    (r"\bif a (?:bus|car|truck|train) hit me\b|\bwouldn'?t (?:care|mind) if a (?:bus|car|truck)", "medium",
     "indifference to dying"),
    ((r"\b(?:cut(?:ting)?|hurt(?:ing)?|burn(?:ing)?) myself\b|\bself[- ]?harm|\bcutting again\b|"
     r"\buntil (?:they|it|my \w+) bled\b|\bpunch walls\b"), "medium", "self-harm"),
    (r"\bjust want (?:the pain|it all|everything) to stop\b", "medium", "wish for the pain to end"),
]

HARM_TO_OTHERS = [
    (r"\b(?:knife|gun|weapon)\b.{0,60}\b(?:stab|shoot|waiting|outside|school|his house|her house)\b", "imminent",
     "armed and near someone"),
    ((rf"\b(?:going to|gonna|want to|i will|i'?ll|i'?m going to|plan to)\s+(?:\w+\s+)?(?:kill|hurt|stab|shoot|"
     rf"murder|beat up|poison)\s+{_PERSON}"), "high", "intent to harm someone"),
    # "everyone at school": where the revenge is to happen makes it a threat to a group, not a figure of speech.
    ((r"\bmake (?:them|everyone|everybody|all of them)(?: (?:at|in|from) (?:school|work|class|church|the office|"
      r"the team))? (?:all )?pay\b(?! (?:their|his|her|our|my|the|a|an|back|up|rent|attention|for (?:the|a|an|"
      r"their|our|my|his|her|it|lunch|dinner|drinks|tickets)\b))"), "high", "threat of revenge"),
    (r"\b(?:imagining|imagine|thoughts of|thinking about) (?:hurting|killing|stabbing)\b", "medium",
     "thoughts of harming someone"),
]

ABUSE = [
    ((r"\b(?:hitting|beating|choking|hurting) me right now\b|\bbreaking (?:down )?the door\b|"
     r"\b(?:says|screaming|threatens|threatening|said) (?:that )?(?:he|she|they)'?(?:ll| will) kill me\b"),
     "imminent", "being harmed now"),
    ((r"\b(?:he|she|they|my \w+(?: \w+)?) (?:hits|hit|beats|beat|chokes|choked|strangled|strangles|kicks|abuses|"
     r"abused|rapes|raped|touches|touched) me\b|\babuses me\b"), "high", "being harmed"),
    (r"\b(?:not to tell anyone|our (?:little )?secret|don'?t tell anyone)\b", "high", "secrecy around abuse"),
    ((r"\b(?:throws|threw) things\b|\blocks? me (?:in|out)\b|\bwon'?t let me (?:see|leave|go)\b|"
     r"\b(?:takes|took|controls) (?:all )?my money\b|\bwith a belt\b"), "medium", "controlling or violent home"),
]

MEDICAL = [
    (r"\bchest (?:pain|hurts)\b|\b(?:arm|face) is (?:numb|drooping)\b|\bcrushing chest\b", "imminent",
     "heart symptoms"),
    (r"\b(?:can'?t|cannot) breathe\b|\bnot breathing\b|\blips (?:are )?turning blue\b|\bthroat is swelling\b",
     "imminent", "cannot breathe"),
    (r"\b(?:collapsed|unconscious|not responding|not waking up|won'?t wake up)\b", "imminent",
     "unconscious person"),
    (r"\b(?:having a stroke|heart attack|seizure|overdos(?:e|ed|ing))\b|\btook too many pills\b", "imminent",
     "medical emergency"),
    ((r"\b(?:fainted|passed out)\b|\b(?:throwing up|vomiting) blood\b|\bblood in my vomit\b|"
     r"\btook (?:double|twice)\b|\b(?:pills|insulin) twice\b"), "medium", "urgent symptoms"),
]

# Cut out before the rules run: the same words used as a figure of speech.
FIGURATIVE = [
    r"\bkilling (?:me|my \w+)\b", r"\bmurder(?:ing)? (?:me|on my \w+)\b", r"\bdying (?:to|for|of|here)\b",
    r"\bto die for\b", r"\b(?:bored|scared|worried|starving|freezing) to death\b",
    r"\b(?:died|dying|die) (?:of )?laugh(?:ing|ter)\b", r"\b(?:killed|kill|slay(?:ed)?) (?:it|time)\b",
    r"\b(?:would|i'?d|could) kill for\b", r"\bdead (?:tired|on my feet)\b",
    r"\bi'?m dead\b(?= ?(?:lol|lmao|haha|😂|,? that))", r"\b(?:kill|shoot) me(?: now)?\b",
    r"\brather die than\b", r"\bcould (?:just )?die\b", r"\b(?:almost|nearly) (?:gave me|had) a heart attack\b",
    r"\b(?:phone|battery|laptop|car|plant|brain)\w* (?:is )?(?:about to )?(?:die|dying|died|dead)\b",
    r"\b(?:death|end) of me\b", r"\bdie of (?:happiness|embarrassment|cringe|boredom|shame|joy)\b",
    r"\bwant to die of (?:happiness|embarrassment|joy)\b",
    r"\bif i (?:have to|hear|see) .{0,60}(?:i'?ll|i'?m going to|gonna) (?:shoot|kill) myself\b",
    r"\b(?:going to|gonna|will|'ll|would) (?:kill|murder|strangle) (?:me|you|him|her|my \w+) (?:if|when)\b",
    r"\b(?:kill|murder|strangle|shoot) (?:the|my) (?:laptop|printer|router|computer|phone|wifi|burger)\b",
]

# Risk words that the person explicitly denies; a denial lowers the rule to 'low', never to 'none'.
DENIALS = [
    r"\b(?:not|never) (?:suicidal|going to (?:hurt|kill) myself)\b",
    r"\bwould never (?:kill|hurt) myself\b", r"\bnot (?:thinking about|planning) (?:suicide|to die)\b",
    r"\bno (?:plan|intention)s? (?:to|of) (?:hurt|kill)(?:ing)? myself\b",
]

# Laughter markers: they soften threats against others ("I'll kill her haha"), never self-harm.
JOKING = r"\b(?:lol|lmao|haha\w*|jk)\b|😂|🤣"
