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
_NOW = (r"(?:tonight|right now|now|today|in (?:like |about |around |maybe )?(?:a few|a couple(?: of)?|\d+|five|ten|two|"
        r"twenty) (?:minutes|mins?|minits)|after this)")
_METHOD = r"(?:pills?|noose|rope|gun|knife|blade|razor|painkillers|sleeping pills|bleach)"
_PLACE = (r"(?:bri(?:dge?|ge)|ledge|roof|rooftop|edge|tracks|cliff|railing|balcony|overpass|car park|parking garage|"
          r"top floor|window ?sill)")
_SUICIDE = r"(?:su+i?[cs]+i?d(?:e|al)?|sewerslide|unaliv\w*|kms|ctb|sui)"
_DRUG = (r"(?:pill?s|tablets?|meds|medications?|paracetamol|tylenol|ibuprofen|aspirin|sleeping pills|antidepressants|"
         r"painkillers|insulin|benadryl|xanax|xans?|benzos?|valium|diazepam|tramadol|sertraline|fluoxetine|prozac|"
         r"zoloft|citalopram|ambien|zopiclone|morphine|fent\w*|heroin|oxy\w*|codeine|lithium)")
_LOTS = (r"(?:(?:way |far )?too many|a lot of|lots of|loads of|a bunch of|a handful of|handfuls of|"
         r"(?:a |the )?(?:w?hole|entire|full) (?:pack|box|bottle|packet|strip|blister|jar)(?: of)?|"
         r"(?:the|a) (?:bottle|box|packet|pack|strip|tub|jar) of|every (?:single )?one of (?:my|the)|al+ (?:of )?(?:my|"
         r"the)|"
         r"(?<![\d.])(?:[4-9]|\d{2,})(?![\d.])|twenty|thirty|forty|fifty|sixty|a hundred)")
# Time words sit beside everyday plans ("right now I want to jump into bed", "tonight I'll finally do it, ask
# her out", "I'll end it with him tonight"): the act words below read as a plan only in their risky sense.
_JUMP = (r"jump(?:ing)?\b(?!\s+(?:into|in(?!\s+front)|on(?:to)?|at|up|ahead|back|right|over|around|for|with|ship|"
         r"the gun|start|rope|through|down (?:my|his|her|their)))")
_DO_IT = r"do it(?=\s*(?:[.!…]|$|(?:tonight|now|today|right now)\b))"
_END_IT = r"end (?:it(?! (?:with|off)\b)|my life|it all)"
_WANT = r"(?:want(?:ed|ing)?|wanna|wnat|wnt|wamt|whant|wish|would like|need)"
_WEAPON = r"(?:knife|gun|weapon|bat|machete|rifle|pistol)"
# A role, a story or "a friend" that the person marks as themselves: the frame does not make it fiction.
_SELF_AS_OTHER = (r"(?:\((?:i mean |it'?s |that'?s )?me\)|\b(?:i mean|meaning|that is|which is) me\b|"
                  r"\bi'?m (?:a|the|this) (?:guy|girl|man|woman|boy|person|kid|teen|character|one) who\b|"
                  r"\b(?:not|isn'?t|ain'?t) (?:really|actually|just) (?:a )?(?:role(?:[ -]?play)?|story|fiction|"
                  r"hypothetical|game|joke)\b|\basking for a friend\b|"
                  r"\b(?:the|my|this) (?:character|guy|girl|person|friend) is (?:really |actually |basically )?me\b|"
                  r"\b(?:is|'s|was) (?:really |actually |basically )?me\b)")
_THEIR_DEATH = (r"(?:kill(?:s|ing)? (?:him|her|them)sel(?:f|ves)|(?:end|take)(?:s|ing)? (?:his|her|their) (?:own )?"
                r"life|wants? to die|(?:hang|drown|shoot)(?:s|ing)? (?:him|her|them)sel(?:f|ves))")

SELF_HARM = [
    # imminent: a plan with a time, means at hand, or an act already under way
    ((rf"\b(?:going to|gonna|about to|will|i'?ll|i'?m)\b.{{0,30}}\b(?:kill {_ME}|{_END_IT}|{_JUMP}|do it\b|"
     rf"take (?:them|the pills)|{_SUICIDE})\b.{{0,30}}\b{_NOW}\b"), "imminent", "plan with a time"),
    (rf"\b{_NOW}\b.{{0,30}}\b(?:kill {_ME}\b|{_END_IT}|{_JUMP}|{_DO_IT}|{_SUICIDE}\b)", "imminent",
     "plan with a time"),
    ((rf"\b{_METHOD}\b.{{0,30}}\b(?:in my hand|in front of me|(?:is|are) (?:ready|tied)|to my head|"
     r"(?:i'?m )?taking (?:them|it) now)"), "imminent", "means at hand"),
    (rf"\b(?:the |a )?{_METHOD} (?:is|are) (?:ready|tied)\b", "imminent", "means at hand"),
    ((rf"\btaking (?:the|my|all (?:the|my)) {_DRUG} (?:now|tonight)\b|\babout to (?:end it|kill myself|do it|jump)\b|"
      rf"\b(?:holding|have|got) (?:the |a |my )?{_METHOD}\b.{{0,40}}\b(?:going to|gonna|about to) do it\b"),
     "imminent", "means at hand"),
    (rf"\bi'?m (?:\w+ )?(?:standing |sitting |actually )?(?:on|at) (?:the |a |my )?(?:\w+ )?{_PLACE}", "imminent",
     "at a dangerous place"),
    ((r"\b(?:took|swallowed|taken|drank|have taken)\b.{0,25}\b(?:all (?:my|the|of)|whole bottle|bottle of|"
     r"bleach|(?:\d+|all) pills|the pills)"), "imminent", "has taken an overdose"),
    ((rf"\b(?:took|tok|taken|swallowed|had|downed|popped|ate|drank)\b.{{0,25}}\b{_LOTS}\b.{{0,20}}\b{_DRUG}\b|"
      rf"\b{_DRUG}\b[^?]{{0,20}}\b(?:i|i'?ve|just|already) (?:took|swallowed|taken)\b"), "imminent",
     "has taken an overdose"),
    (rf"\b{_DRUG}\b.{{0,20}}\b(?:lined up|counted out|laid out|in front of me|ready)\b", "imminent", "means at hand"),
    ((rf"\bcut\b.{{0,40}}\b(?:won'?t stop bleeding|blood everywhere|so much blood)\b|"
      rf"\b(?:holding|have|got) (?:the |a |my )?{_METHOD}\b.{{0,20}}\b(?:right now|now|rn)\b|"
      r"\bcar (?:is )?running\b.{0,30}\bgarage\b"), "imminent", "injured or means at hand now"),
    (r"\b(?:just |already )?(?:cut|slit|slashed) my wrists?\b|\balready swallowed\b", "imminent",
     "injured now"),
    (r"\bsuicide note\b.{0,40}\b(?:now|after|tonight)\b|\bwriting my suicide note\b", "imminent",
     "writing a note"),
    ((r"\b(?:tonight is the night|doing it tonight|jumping in(?:to)? (?:the )?(?:river|lake|sea|ocean|water|traffic))\b"
     r"|"
     r"\bengine running\b.{0,30}\bgarage\b|"
     r"\bgot everything i need to end\b"), "imminent", "plan with a time"),
    # high: active thoughts of suicide, method seeking, farewells ("killmyself": spaced letters rejoined)
    (rf"\b(?:kill(?:ing)?|hang(?:ing)?|shoot(?:ing)?|drown(?:ing)?|off(?:ing)?) ?{_ME}\b(?! (?:if|when))",
     "high", "thoughts of killing oneself"),
    (rf"\b{_SUICIDE}\b", "high", "suicide"),
    (r"\b(?:end(?:ing)?|take|taking) (?:my (?:own )?life|it all)\b|\bending it\b", "high", "ending one's life"),
    (rf"\b{_WANT} (?:to|i (?:was|were)|i could) (?:just )?(?:die|be dead|dead)\b|\bwanna (?:just )?die\b", "high",
     "wish to die"),
    ((rf"\b{_WANT} (?:to end it|(?:it all|everything|my life) to end)\b|\b(?:slit|slitting|cutting|"
      rf"slash\w*) my wrists?\b|"
      r"\b(?:leav(?:e|ing)|left) (?:a|my) (?:suicide )?note\b|\b(?:sorted|sorting|put|putting|"
      r"got) (?:out )?my affairs\b|"
      r"\bthank you for everything\b.{0,40}\b(?:won'?t|never|goodbye|bye)\b|"
      r"\bwon'?t be (?:messaging|talking|writing|texting) (?:you )?(?:again|anymore)\b|"
      r"\b(?:the )?last time (?:we|i) (?:talk|speak)\b|\bthe last (?:one|person) i (?:talk(?:ed)?|spoke|speak) to\b|"
      r"\btell (?:my|her|him|them|everyone)\b.{0,30}\bi (?:loved|was sorry)\b|\bsay goodbye to (?:everyone|them|"
      r"my \w+) for me\b|"
      r"\bwon'?t be (?:a problem|a burden|anyone'?s problem) (?:for|to) (?:anyone|anybody|you|them)\b|"
      r"\b(?:made up my mind|i'?ve decided)\b.{0,40}\bwon'?t be (?:here|around)\b|"
      r"\bwon'?t be (?:here|around)\b.{0,40}\b(?:made up my mind|decided)\b|"
      r"\b(?:put|got|have) (?:everything|my affairs|my things) in order\b|"
      r"\b(?:going to|gonna|will|i'?ll) end it\b(?! (?:with|off)\b)|"
      r"\b(?:the )?(?:letters?|notes?) (?:are|is) (?:written|done|finished|ready)\b"),
     "high", "ending one's life"),
    (r"\bki+l+ ?(?:my ?self|me)\b(?! (?:if|when))|\b(?:end|take)(?:ing)? my (?:own )?l(?:i|y)?fe?\b", "high",
     "thoughts of killing oneself"),
    ((rf"\b(?:sav(?:ed|ing)|stockpil\w+|collect(?:ed|ing)|hoard(?:ed|ing)|gathered|saving up|saved up)\b.{{0,20}}"
      rf"\b{_DRUG}\b"), "high", "means gathered"),
    ((r"\b(?:planning|planned|plan) (?:how|when|where) (?:i(?:'?d| would| will| could)?|to) (?:do it|die|end it|"
      r"kill)|\bplanning my (?:death|suicide)\b"), "high", "planning a suicide"),
    ((r"\b(?:(?:tallest|highest) (?:bridge|building|car park)|(?:bridge|building|roof|drop)\b.{0,30}\b(?:tall|high) "
      r"enough)\b|\blethal (?:dose|amount)\b"), "high", "looking for a method"),
    ((r"\b(?:want|wanna|going|gonna|thinking (?:of|about)|urge) (?:to )?(?:jump(?:ing)?|yeet(?:ing)? myself) (?:off|"
      r"from|"
      r"in front of)\b|\byeet(?:ing)? myself off\b|\b(?:driv|crash)\w* (?:my car |the car )?(?:into|off) (?:a |the )?"
      r"(?:wall|tree|bridge|cliff|oncoming)"), "high", "a way to die in mind"),
    ((r"\b(?:goodbye|farewell|last) (?:letters?|notes?|message)\b|\bwr(?:ote|itten|iting) (?:a |my |the )?(?:note|"
      r"letter)s?\b"
      r".{0,40}\b(?:explain|why|everything|family|mum|mom|dad|kids|just in case|after i'?m gone)|"
      r"\bsaid (?:my )?goodbyes?\b(?! to (?!(?:everyone|everybody|all|you all|my (?:family|friends|kids|children|"
      r"parents|wife|husband)|the world)\b))|\bthis is (?:my )?goodbye\b|"
      r"\bwhen i'?m gone\b|\bmade my peace\b"), "high", "farewell message"),
    (r"\b(?:don'?t|do not|doesn'?t) want to (?:be alive|live|exist|be here)\b|\bwant it (?:all )?to be over\b",
     "high", "not wanting to live"),
    ((r"\bwon'?t be (?:a burden|a problem|around|here|anyone'?s problem)\b.{0,20}\b(?:longer|long|anymore)\b|"
     r"\bwon'?t be (?:anyone'?s|a) (?:problem|burden) anymore\b"), "high", "indirect farewell"),
    ((r"\b(?:this is|it'?s) (?:my )?(?:last message|goodbye|the last time)\b|\blast time you'?ll hear\b|"
     r"\b(?:letters?|notes?) (?:to|for) my (?:family|parents|kids|children|wife|husband)\b|"
     r"\bso (?:they|you) understand why\b"), "high", "farewell message"),
    ((r"\b(?:soon|shortly) (?:i won'?t|nobody will|no one will)\b|\bi'?ve (?:decided|made my decision)\b.{0,25}"
     r"\b(?:done|goodbye|bye|thank you for everything)\b"), "high", "indirect farewell"),
    (r"\b(?:painless|least painful|quickest|easiest) way to (?:die|go|end it)\b|\bhow (?:many|"
     r"much)\b.{0,40}\b(?:to die|"
     r"overdose|not wake up|kill)\b|\bhow to (?:hang|kill|drown|shoot) {_ME}\b".replace("{_ME}", _ME),
     "high", "looking for a method"),
    (r"\bways to (?:end my life|die|kill {_ME})\b".replace("{_ME}", _ME), "high", "looking for a method"),
    (rf"{_SELF_AS_OTHER}.{{0,120}}{_THEIR_DEATH}|{_THEIR_DEATH}.{{0,120}}{_SELF_AS_OTHER}", "high",
     "speaking of oneself through a role or a story"),
    # medium: passive wishes, hopelessness, self-harm without danger to life
    (r"\b(?:wish|want|like|hope) (?:to |i (?:could|cud|cld|would|'?d) |i'?d )?(?:just )?(?:disappear|vanish)", "medium",
     "wish to disappear"),
    ((r"\b(?:better off|happier|relieved|easier|cope better|do better|be better)\b.{0,20}\b(?:without me|if i (?:was|"
      r"were|wasn'?t) "
     r"(?:gone|here|around|dead)|if i didn'?t exist)\b|\b(?:fine|better|okay|ok|happier) without me\b"), "medium",
     "others better off without me"),
    # Of themselves, as a wish: "Our old cat didn't wake up this morning" is a loss.
    ((r"\b(?:don'?t|do not|never) (?:want to|wanna) wake up\b|\bnot to wake up\b|"
      r"\b(?:sleep|sleeping) and (?:never|not) wake up\b|"
      r"\b(?:wish|hope|hoping|pray) (?:that )?i (?:didn'?t|wouldn'?t|won'?t|don'?t|never|do not) wake up\b|"
      r"\b(?:rather|prefer|like|want|wanting) (?:to )?(?:not|never) (?:wake|waking) up\b|"
      r"\b(?:don'?t|wouldn'?t) (?:really )?(?:care|mind) if i (?:wake up|die|live|don'?t wake)"), "medium",
     "wish not to wake up"),
    ((r"\bwhat'?s the point(?: of (?:it(?: all)?|any of this|anything|trying|going on|me))?(?: anymore| any more)?"
      r"\s*[.?!]*$|\bwhat'?s the point of (?:it all|any of this|anything|going on|me)\b|"
      r"\b(?:don'?t|do not|can'?t) see (?:a|any) future\b|\blife (?:feels|is|seems) (?:so )?(?:pointless|"
      r"meaningless)\b|"
      r"\b(?:done|finished) with (?:life|living|existing)\b|\b(?:not|never) (?:to )?exist\b|\bstop existing\b|"
      r"\bi'?m (?:just |such )?a burden\b|\bfeel (?:like )?(?:such )?a burden\b|\bwish i'?d never been born\b|"
      r"\b(?:want|need) (?:everything|it all|it) to (?:just )?stop\b|\bexisting is\b|\b(?:can'?t|don'?t) see (?:a|"
      r"any) way out\b|"
      r"\bwaiting to die\b|\b(?:stay|staying|keep myself) alive for\b|\bdone trying to (?:stay alive|live)\b|"
      r"\bwaste of (?:space|oxygen|air)\b|\bif something happen(?:ed|s) to me\b.{0,30}\b(?:mind|care|fine)\b|"
      r"\bnever woke up\b|\bno point (?:in|to) (?:anything|living|life|going on|trying)\b|"
      r"\bbother (?:existing|living|being alive)\b|\b(?:don'?t|can'?t) see the point(?: anymore| of (?:living|life|"
      r"anything|"
      r"going on))\b"), "medium", "hopelessness"),
    ((r"\b(?:got|get|was|were) hit by a (?:bus|car|truck|train)\b.{0,30}\b(?:wouldn'?t (?:mind|care)|fine|okay|ok)\b"),
     "medium", "indifference to dying"),
    ((r"\b(?:point (?:of|in) (?:living|being alive|life)|(?:no|any) reason to (?:live|go on|carry on|keep going|"
      r"stay alive)|nothing (?:left )?to live for|"
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
    ((r"\b(?:cut+(?:ing)?|hurt(?:ing)?|burn(?:ing)?) myself\b|\bself[- ]?harm|\bcutting again\b|"
     r"\buntil (?:they|it|my \w+) ble(?:e)?ds?\b|\bpunch walls\b|\bcutt?in[g']? (?:my )?(?:arms?|thighs?|legs?|"
     r"wrists?|skin)\b|"
     r"\b(?:burn(?:ed|t)?|cut|hit|scratch\w*|hurt) my (?:arms?|legs?|skin|hands?|wrists?|thighs?|"
     r"self)\b.{0,30}\bon purpose\b|"
     r"\bsh (?:relapse|again|urges?)\b|\brelapsed? on sh\b|"
     r"\bcutt?in[g']? again\b"), "medium", "self-harm"),
    (r"\bjust want (?:the pain|it all|everything) to stop\b", "medium", "wish for the pain to end"),
    # v6: acts, places, means and goodbyes told in plain words (issue #19, second session)
    ((rf"\b(?:finished|emptied|necked|chugged|downed|swallowed)\b.{{0,25}}\b{_LOTS}\b.{{0,20}}\b{_DRUG}\b|"
      r"\b(?:took|swallowed|ate|downed|taken)\b (?:everything|all of (?:it|them)|the lot)\b.{0,30}\b(?:medicine|pill|"
      r"meds|first aid|bathroom) (?:drawer|cabinet|cupboard|box|bag|stash)\b|\b(?:i|i'?ve|just) (?:od'?d|oded)\b"),
     "imminent", "has taken an overdose"),
    ((rf"\b(?:dangling|sitting|standing|perched|hanging|leaning) (?:off|on|over|at) (?:the |a )?(?:edge of (?:the"
      rf" |a )?)?"
      rf"(?:\w+ )?{_PLACE}|\b(?:on|at) the (?:train |railway )?tracks\b|"
      r"\b(?:noose|rope|cord|belt|ligature)\b.{0,25}\baround my neck\b|"
      r"\bloaded (?:my |the |a |his |her )?(?:\w+'?s? )?(?:shot)?(?:gun|rifle|pistol|revolver)\b|"
      r"\b(?:gun|rifle|pistol|shotgun)\b.{0,20}\b(?:on my lap|in my mouth|to my head|under my chin)\b"),
     "imminent", "at a dangerous place or means at hand"),
    ((r"\b(?:took|swallowed|ate|had|downed)\b.{0,20}\b(?:whole (?:week|month)|(?:week|month)'?s? (?:worth|supply))\b|"
      r"\b(?:car|engine)\b (?:is )?running\b.{0,30}\bgarage\b|\b(?:rocks|stones) in my (?:coat |jacket )?pockets\b|"
      r"\btied (?:the |a )?(?:rope|noose|cord|belt)\b|\b(?:rope|noose|pills|knife|gun)\b.{0,40}\bdoing it\b|"
      r"\b(?:slit|slashed|cut) my (?:forearm|arm|wrist|thigh|leg|throat)\b.{0,30}\b(?:deep|blood|bleeding)\b"),
     "imminent", "means at hand or an act under way"),
    ((r"\b(?:given|gave) (?:my|away my) (?:cat|dog|pets?)\b.{0,60}\b(?:deleted|sorted|goodbye|won'?t need)\b|"
      r"\bdeleted (?:all )?my (?:accounts|socials|profiles)\b.{0,30}\b(?:sorted|done|ready|goodbye)\b|"
      r"\btell (?:them|her|him|everyone|my \w+)\b.{0,10}\b(?:it )?(?:wasn'?t|isn'?t|was not) (?:their|her|his|you"
      r"r) fault\b|"
      r"\bgoodbye lett?ers?\b|\bhow long (?:does it take|it takes|to) (?:to )?(?:bleed out|die|drown|suffocate)\b|"
      r"\bbleed out\b|\btrains?\b.{0,40}\bwithout stopping\b|\bmake sure i'?m not (?:here|around|alive)\b|"
      r"\bgoing to make sure i'?m not\b|\b(?:stash|stockpile|supply) of (?:pills?|pils|meds|tablets|\w+)\b.{0,40}"
      r"\b(?:for when|hidden|hid|in case)\b|\b(?:don'?t|dont) (?:wanna|want to) (?:be )?(?:alive|alve)\b"),
     "high", "farewell, a method or means gathered"),
    ((r"\b(?:till?|'til) (?:they|it|my \w+) ble(?:e)?ds?\b|\b(?:wouldn'?t|don'?t) (?:mind|care) if i (?:didn'?t|d"
      r"on'?t) "
      r"(?:make it|wake|survive)\b|\b(?:happier|better off|easier)\b.{0,25}\bif i (?:disappeared|vanished|died|wa"
      r"s gone|"
      r"were gone|wasn'?t here)\b|\b(?:don'?t think|doubt) any(?:one|body) would (?:notice|care|miss me)\b|"
      r"\b(?:step|walk|throw myself|jump) in front of (?:a |the )?(?:bus|train|car|truck|lorry)\b"),
     "medium", "self-harm or a passive wish to die"),
    ((r"\bthank(?:s| you)\b.{0,80}\b(?:this is|it'?s|that'?s) (?:the|my) last (?:one|message|chat|time)\b|"
      r"\bbefore i (?:go|leave) for good\b|\b(?:i'?ll|i will) be gone for good\b|"
      r"\b(?:see|cya|see ya|see you|meet you) on the other side\b(?! of\b)|"
      r"\bthe last (?:you|he|she|they|anyone|anybody)(?:'ll| will)? (?:ever )?hear from me\b|"
      r"\b(?:playlist|songs?|music|flowers|outfit|plans?) for my (?:own )?funeral\b|\bplann(?:ing|ed) my (?:own )"
      r"?funeral\b|"
      r"\bdone (?:being alive|living)\b(?! (?:in|with|at|here|there|like|on)\b)"), "high", "farewell message"),
    ((r"\b(?:bought|got|ordered)\b.{0,15}\brope\b.{0,40}\b(?:hook|beam|hid|hidden|hide|not for|knot)\b|"
      r"\bcharcoal\b.{0,60}\b(?:not for (?:a |the )?(?:bbq|barbecue|barbeque|grill|camping)|tape|seal\w*)\b|"
      r"\b(?:window|ledge|edge|balcony|roof|platform)\b.{0,70}\b(?:how easy it would be|let (?:myself )?go|"
      r"just (?:fall|step off|lean forward))\b"), "high", "means gathered or a way to die in mind"),
    ((r"\b(?:hope|wish|pray)\b.{0,25}\b(?:a |the )?(?:car|bus|truck|lorry|train)\b.{0,10}\b(?:hits|kills|runs over|"
      r"takes) me\b|\bburn(?:ed|t|s)? myself\b|\bwaste away\b|\bstarv(?:e|ing) myself\b|"
      r"\b(?:idc|don'?t care|do not care) (?:what happens to me|if i (?:die|live|get hit|don'?t make it))\b|"
      r"\b(?:don'?t|do not) care if (?:it|this|that|drinking) kills me\b|"
      r"\bthink(?:ing)? about (?:dying|death|being dead)\b|\bfade (?:out|away) (?:for good|forever|completely)\b|"
      r"\b(?:hit|bang|smash|slam)\w* my head (?:against|into) (?:the )?wall\b.{0,30}\b(?:when i|until|on purpose|"
      r"over and over)\b"), "medium", "self-harm or a passive wish to die"),
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
    ((r"\bshoot(?:ing)? up (?:my |the |a )?(?:school|work|workplace|office|class|church|mall)\b|"
      r"\b(?:poison|stab|shoot|kill)(?:ing)? (?:my \w+'?s?|his|her|their) (?:coffee|food|drink|sleep)\b|"
      r"\bto (?:stab|shoot|kill|hurt|murder) (?:him|her|them)\b|\bbeat (?:him|her|them) up\b|"
      r"\b(?:kill|hurt|stab|shoot|murder|beat up|poison) (?:the|those|these|all the) (?:guys|people|kids|men|women|"
      r"boys|girls)\b"),
     "high", "intent to harm someone"),
    (rf"\b(?:outside|at|waiting (?:for|outside)) (?:his|her|their|him|them)\b.{{0,40}}\b{_WEAPON}\b", "imminent",
     "armed and near someone"),
    (r"\b(?:imagining|imagine|thoughts (?:of|about)|thinking about) (?:hurting|killing|stabbing|punching)\b", "medium",
     "thoughts of harming someone"),
    ((r"\b(?:imma|ima|i'?mma|gonna|going to|will)\s+(?:\w+\s+)?(?:stab|shoot|kill|murder|beat up)\s+(?:that|this|the) "
      r"(?:guy|girl|man|woman|dude|kid|bitch|prick)\b|\bpulling up on (?:him|her|them)\b.{0,30}\b(?:blade|knife|g"
      r"un|strap)\b|"
      r"\bmake (?:her|him|them) pay\b.{0,40}\b(?:thought about how|planned|know where)\b|"
      r"\bknow where (?:my ex|he|she|they) (?:lives?|works?)\b.{0,40}\b(?:pay|hurt|kill|regret)\b"),
     "high", "intent to harm someone"),
    (r"\blist of (?:the )?(?:people|kids|students|names|teachers|everyone)\b.{0,50}\b(?:shot|killed|kill|die|deserve|"
     r"pay|hurt)\b", "high", "intent to harm a group"),
    (r"\b(?:could|might|going to|gonna) (?:really )?(?:hurt|kill) (?:someone|somebody)\b|\bdon'?t trust myself\b",
     "medium", "fear of harming someone"),
]

ABUSE = [
    ((r"\b(?:hitting|beating|choking|strangling|hurting) (?:me|my \w+) (?:right )?now\b|"
      r"\bbreaking (?:down )?the door\b|"
     r"\b(?:says|screaming|threatens|threatening|said) (?:that )?(?:he|she|they)'?(?:ll| will) kill me\b|"
     r"\bthreaten(?:s|ing|ed)? to kill me\b"),
     "imminent", "being harmed now"),
    ((r"\b(?:he|she|they|my \w+(?: \w+)?) (?:hits|hit|punches|punched|slaps|slapped|beats|beat|chokes|choked|"
      r"strangled|strangles|kicks|abuses|"
     r"abused|rapes|raped|touches|touched) me\b|\babuses me\b"), "high", "being harmed"),
    (r"\b(?:not to tell anyone|our (?:little )?secret|don'?t tell anyone)\b", "high", "secrecy around abuse"),
    ((r"\b(?:throws|threw) things\b|\blocks? me (?:in|out)\b|\bwon'?t let me (?:see|leave|go)\b|"
     r"\b(?:takes|took|controls) (?:all )?(?:my|the) (?:money|wages|salary|pay|paycheck)\b|\bdecides? who i (?:can|"
     r"get to) see\b|"
     r"\breads (?:all )?my (?:messages|texts)\b|\b(?:left|leaves) (?:marks|bruises)\b|\bwon'?t let me work\b|"
     r"\bwith a belt\b|"
     r"\b(?:threw|throws) (?:a |the |his |her )?\w+ at me\b|\bcalls? me (?:worthless|useless|a waste)\b"), "medium",
     "controlling or violent home"),
    ((r"\b(?:hitting|beating|choking|strangling|hurting|kicking|punching)\b (?:me|my \w+)\b.{0,30}\b(?:right now|"
      r"now|rn)\b|"
      r"\b(?:kicking|breaking|smashing|banging) (?:down )?(?:the |my )?(?:\w+ )?door\b.{0,40}\b(?:hiding|hide|sca"
      r"red|kids|"
      r"locked)\b|\b(?:he|she|they)'?(?:ll| will) finish me\b"), "imminent", "being harmed now"),
    (r"\b(?:shoved|pushed|threw|slammed) me (?:into|against|down|to)\b|\b(?:burns?|burned|burnt) me\b", "high",
     "being harmed"),
    (r"\blocked me (?:in|out)\b", "medium", "controlling home"),
    (r"\b(?:partner|husband|wife|boyfriend|girlfriend|bf|gf|dad|mum|mom|father|mother)\b.{0,25}\b(?:says|tells me|"
     r"told me)\b.{0,15}\b(?:i'?m |i am )?(?:worthless|useless|nothing|a waste)\b", "medium", "controlling home"),
]

MEDICAL = [
    (r"\bchest (?:pain|hurts)\b|\b(?:arm|face) is (?:numb|drooping)\b|\bcrushing chest\b", "imminent",
     "heart symptoms"),
    (r"\b(?:can'?t|cannot) breathe\b|\bnot breathing\b|\blips (?:are )?turning blue\b|\bthroat is swelling\b",
     "imminent", "cannot breathe"),
    (r"\b(?:collapsed|unconscious|not responding|not waking up|won'?t wake up|isn'?t breathing|"
     r"stopped breathing)\b", "imminent",
     "unconscious person"),
    (r"\b(?:having a stroke|heart attack|seizure|overdos(?:e|ed|ing))\b|\btook too many pills\b", "imminent",
     "medical emergency"),
    ((r"\b(?:fainted|passed out)\b|\b(?:throwing up|vomiting) blood\b|\bblood in my vomit\b|"
     r"\btook (?:double|twice)\b|\b(?:pills|insulin) twice\b"), "medium", "urgent symptoms"),
    ((r"\bhit (?:his|her|my|their|its) head\b.{0,60}\b(?:throwing up|vomiting|confused|doesn'?t know|won'?t wake|"
      r"unconscious|passed out|can'?t remember)\b|\b(?:smoke|fire|flames)\b.{0,50}\b(?:can'?t (?:get up|breathe|g"
      r"et out|"
      r"wake)|trapped|passed out)\b|\b(?:drank|swallowed|ate|drunk|got into)\b.{0,20}\b(?:drain cleaner|detergent|"
      r"dishwasher (?:tablet|pod)|laundry pod|antifreeze|weed ?killer|rat poison|button batter(?:y|ies))\b|"
      r"\bthroat (?:is )?(?:closing|tight(?:ening)?|swell\w*)\b|\bbaby is coming (?:now|out|right now)\b"),
     "imminent", "medical emergency"),
    (r"\bface (?:just )?(?:went|is|has gone|going) droop\w*|\bwords are coming out wrong\b|\bslurr\w* (?:my )?(?:"
     r"speech|words)\b",
     "imminent", "stroke signs"),
    (r"\bhaven'?t (?:eaten|drunk|had anything)\b.{0,40}\b(?:\d+|two|three|four|five|several|a few) days\b", "medium",
     "not eating or drinking for days"),
]
