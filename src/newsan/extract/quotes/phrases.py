"""Noun phrases around a cue: speakers, roles, addressees (titles, honorifics,
names in apposition, relative clauses).

Part of :mod:`newsan.extract.quotes` (see its docstring for the whole method).
"""

from __future__ import annotations

from newsan.extract.quotes.cues import _cue_lookup, _strip_conj
from newsan.extract.quotes.document import _NP, _Doc, _is_punct
from newsan.extract.quotes.tables import _QUOTE_CHARS, _bare, _in, _Lex

# --------------------------------------------------------------------------- #
# Noun phrases (speakers, roles, addressees)


def _is_title(lx: _Lex, n: str) -> bool:
    b = _strip_conj(n)[0] if n.startswith(("وال", "وو")) else n
    if n in lx.role_honor or (n[:1] in "وف" and n[1:] in lx.role_honor):
        return True  # أستاذة علوم التغذية (written without the article: الأستاذ stays an honorific)
    return n in lx.titles or _bare(b) in lx.titles


def _is_honor(lx: _Lex, n: str) -> bool:
    return _in(lx.honorifics, n)


def _is_source_word(lx: _Lex, n: str) -> bool:
    """A title or honorific, or an organization, outlet or source noun (the word or its bare form)."""
    return _is_title(lx, n) or _is_honor(lx, n) or _in(lx.org, n) or _in(lx.outlets, n) or _in(lx.sources, n)


def _ali(doc: _Doc, lx: _Lex, k: int) -> bool:
    """The given name علي, which normalization folds together with the preposition على.

    Written with a dotted ي in an article that spells the preposition على, and
    followed by a name word, it is the name (المنسق العام للجنة علي شطوان). In
    an article that writes ي for ى throughout, only after an honorific, a title
    or another name word (الأستاذ علي السيهاتي).
    """
    if doc.norm[k] != "علي" or not doc.toks[k].text.endswith("ي") or k == 0:
        return False
    p = doc.norm[k - 1]
    if doc.ala_spelled and not _is_punct(p) and k + 1 < len(doc.norm) and not _np_stop(doc, lx, k + 1):
        return True  # the article writes the preposition على: علي before a name word is the name
    return (
        _is_honor(lx, p)
        or _is_title(lx, p)
        or p in _NAME_LINKS
        or (
            k + 1 < len(doc.norm)
            and doc.norm[k + 1].startswith("ال")
            and not _is_punct(p)
            and p not in lx.stops
            and _cue_lookup(lx, p) is None
            and not p.startswith("ال")
        )
    )


def _is_compl(doc: _Doc, lx: _Lex, k: int) -> bool:
    """A complementizer, also behind و/ف (فإن، وأن، فإنه: وكما يشرح هول | فإن …);
    behind و/ف only with its hamza written or a pronoun: a bare فان may be a
    name (لويس فان غال)."""
    n = doc.norm[k]
    if n in lx.compl or n in lx.compl_pron:
        return True
    return (
        len(n) > 2
        and n[0] in "وف"
        and (n[1:] in lx.compl_pron or n[1:] in lx.compl and ("إ" in doc.toks[k].text or "أ" in doc.toks[k].text))
    )


def _np_stop(doc: _Doc, lx: _Lex, k: int) -> bool:
    n = doc.norm[k]
    if n == "علي" and _ali(doc, lx, k):
        return False
    if n == "امام" and doc.toks[k].text.startswith("إ"):
        return False  # إمام (imam), not أمام (in front of): the two fold together
    return (
        n in lx.stops
        or n in lx.time
        or _is_compl(doc, lx, k)
        or n in lx.blockers
        or _is_punct(n)
        or _cue_lookup(lx, n) is not None
        or n.isdigit()
        or n in ("ل", "ب", "ك")  # a preposition written apart: وصفها غبان | بـ«…»
        # an attribution phrase (وقال مرسي | وفقا للوكالة؛ حسب may begin a name: حسب الله)
        or (n in lx.attrib and _strip_conj(n)[0] != "حسب")
    )


def _parse_np(doc: _Doc, lx: _Lex, j: int, limit: int) -> _NP | None:
    """The noun phrase starting at ``j`` (before ``limit``), split into role and name.

    Role first (وزير الطاقة الإسرائيلي يوفال شتاينتز): the title and its
    construct chain (genitives, ال-adjectives, باسم, لـ+organization) is the
    role; the first plain word after it starts the name. Name first (ديمتري
    بيسكوف المتحدث باسم الكرملين): the name runs until a title. A role with no
    name is itself the speaker (وقال وزير الخارجية إن …). Honorifics (معالي،
    الأستاذ) belong to neither (GUIDELINES §1.3).
    """
    quoted = _quoted_outlet(doc, lx, j, limit)
    if quoted is not None:
        return quoted
    m = j
    while m < limit and _is_honor(lx, doc.norm[m]) and not _is_title(lx, doc.norm[m]):
        m += 1
    role_mode = m < limit and _is_title(lx, doc.norm[m])
    toks: list[int] = []
    split = -1  # index in toks where the name (role mode) or the role (name mode) starts
    head = False
    construct = False  # the next word is the indefinite noun of a لـ-genitive construct
    k = j
    while k < limit and len(toks) < (24 if role_mode and split < 0 else max(14, split + 8)):
        n = doc.norm[k]
        if n in ("،", ",") and toks and role_mode and split < 0:
            # رئيس الوزراء الإسرائيلي، بنيامين نتنياهو،
            nx = k + 1
            if nx < limit and not _np_stop(doc, lx, nx) and not _is_title(lx, doc.norm[nx]) and doc.inside[nx] < 0:
                split = len(toks)
                k = nx
                continue
            break
        if n == "(" and toks and role_mode and split < 0 and not head:
            # رئيس الاتحاد الدولي لكرة القدم (فيفا) جوزيف بلاتر: a bracketed acronym inside the role
            close_p = next((m for m in range(k + 1, min(k + 5, limit)) if doc.norm[m] == ")"), -1)
            if (
                close_p > k + 1
                and close_p + 1 < limit
                and not any(_is_punct(doc.norm[m]) or _np_stop(doc, lx, m) for m in range(k + 1, close_p))
            ):
                toks.extend(range(k, close_p + 1))
                k = close_p + 1
                continue
        if toks and role_mode and split < 0 and n in lx.same:
            toks.append(k)  # مسؤول حكومي آخر | وكالة أنباء، المصدر ذاته: the role ends there
            k += 1
            break
        if n == "من" and len(toks) == 1 and doc.norm[toks[0]] in lx.quantifiers and k + 1 < limit:
            toks.append(k)  # عدد من الطلبة: the quantifier and its partitive
            k += 1
            continue
        if n == "." and toks and toks[-1] == k - 1 and len(doc.norm[k - 1]) == 1 and _is_honor(lx, doc.norm[k - 1]):
            k += 1  # د. محمد: the period of an abbreviated honorific
            continue
        if (
            n == "في"
            and role_mode
            and split < 0
            and toks
            and k + 3 < limit
            and doc.norm[k + 1] in _ROLE_PLACE_NOUNS
            and not _np_stop(doc, lx, k + 2)
        ):
            # المنسق العام للجنة المحلية للانتخابات في منطقة عسير علي شطوان: the place is the role's
            toks.extend((k, k + 1, k + 2))
            k += 3
            head = False
            continue
        if n == "من" and toks and doc.norm[k - 1] in lx.relations and k + 1 < limit and doc.inside[k] < 0:
            toks += [k, k + 1]  # مصدر مقرب من الرئاسة: the adjective's complement
            k += 2
            continue
        if doc.inside[k] >= 0 or _np_stop(doc, lx, k):
            break
        if construct:
            construct = False  # لممتحني | رخص | السياقة: the construct's noun, inside the role
            toks.append(k)
            k += 1
            continue
        if toks and n in _UNMARKED_OPENERS:
            break  # وقال ستولكر تمت كتابة …: a verb or particle ends the name
        if toks and "\u064b" in doc.toks[k].text:
            break  # an accusative with tanween (موقفا صارما) is an object, not part of a name
        genitive = False
        starts_name = False
        if toks and n.startswith("ل"):
            in_role = (role_mode and split < 0) or (not role_mode and split >= 0)
            rest = n[2:] if n.startswith("لل") else n[1:]
            role_cont = (
                n.startswith("لل")
                or _in(lx.org, rest)
                or _is_title(lx, rest)
                or n in lx.org  # لجنة is a noun, not لـ + جنة
                or _is_title(lx, n)
            )
            # a name after a role may begin with ل (المتحدثة ليلى الشمري) when more name follows;
            # otherwise لـ starts an addressee (كبير الدبلوماسيين لواحد من …)
            starts_name = (
                role_mode
                and split < 0
                and (not head or n in lx.given)
                and not role_cont
                and k + 1 < limit
                and not _np_stop(doc, lx, k + 1)
                and _bare(rest) not in lx.outlets
                # لوسائل الإعلام, لنظيره الفرنسي: a لـ-noun with a definite genitive is not a name
                and not (doc.norm[k + 1].startswith("ال") and n not in lx.given and n not in doc.pers)
            )
            # لنصرة الأشقاء: a لـ-noun with its own genitive continues the role (not a name, not
            # an addressee such as لوسائل الإعلام or لنظيره الفرنسي)
            genitive = (
                role_mode
                and split < 0
                and not head
                and k + 1 < limit
                # (الجمعية التونسية لممتحني رخص السياقة: the genitive may be a construct itself)
                and (
                    doc.norm[k + 1].startswith("ال")
                    or k + 2 < limit
                    and not _np_stop(doc, lx, k + 1)
                    and doc.norm[k + 1] not in lx.given
                    and doc.norm[k + 1] not in doc.pers
                    and doc.norm[k + 2].startswith("ال")
                )
                and n not in lx.given
                and n not in doc.pers
                and _bare(rest) not in lx.outlets
                and rest not in lx.outlets
                and not doc.toks[k].text.endswith(("ه", "ها", "هم"))
                # inside an organization's name (مكتب الحملة الوطنية لنصرة …), not after a bare title
                and (len(toks) >= 3 or any(_in(lx.org, doc.norm[t]) or _bare(doc.norm[t][1:]) in lx.org for t in toks))
            )
            related = doc.norm[k - 1] in lx.relations  # موال | للحكومة، التابع | لنوكيا: its complement
            if not ((in_role and role_cont) or genitive or starts_name or related):
                break
            construct = genitive and not doc.norm[k + 1].startswith("ال")
            if starts_name and head and split < 0:
                split = len(toks)  # المتحدثة ليلى الشمري: the name after a head noun
        if toks and not head and not n.startswith("ال") and _in(lx.masdars, n):
            break  # أبرز البنك المركزي ضرورة …: a masdar starts the object
        if toks and len(n) >= 5 and n.endswith(("هم", "هما", "ها", "هن", "كم")) and not n.startswith("ال"):
            break  # a noun with a possessive suffix (أبدى أعضاء الوفد إعجابهم) is an object, not a name
        if (
            toks
            and split < 0
            and (
                role_mode
                and not head
                and not genitive
                and not _role_place(doc, lx, k)
                # بالجمعية، بالمنطقة: a definite place or body closing the role, never a name
                and not (n.startswith("بال") and len(n) > 4)
                # a place name closes the genitive chain (الأمين العام لحزب آفاق تونس، X،)
                and not (n in lx.locs and n not in lx.given and n not in doc.pers)
                and n not in lx.relations
                and not (n == "من" and doc.norm[k - 1] in lx.relations)
                and (not _role_word(lx, n) or (_is_honor(lx, n) and not _is_title(lx, n)))
                or not role_mode
                and _is_title(lx, n)
                and (n.startswith("ال") or (k + 1 < limit and not _np_stop(doc, lx, k + 1)))
            )
        ):
            split = len(toks)
        toks.append(k)
        # بالمنطقة closes the construct chain: a plain word after it starts the name
        head = role_mode and split < 0 and _is_head(lx, n) and not n.startswith("بال")
        k += 1
    if not toks:
        return None
    end = toks[-1] + 1

    def keep(ts: list[int], name: bool = False) -> tuple[int, int] | None:
        def honor(t: int) -> bool:
            return _is_honor(lx, doc.norm[t]) and not _is_title(lx, doc.norm[t])

        if name:
            # leading and trailing honorifics; a family name may be one (عبدالعزيز آل الشيخ)
            while ts and honor(ts[0]):
                ts = ts[1:]
            while len(ts) > 1 and honor(ts[-1]) and doc.norm[ts[-2]] not in _NAME_LINKS:
                ts = ts[:-1]
        else:
            ts = [t for t in ts if not honor(t)]
        return (ts[0], ts[-1] + 1) if ts else None

    if role_mode and split < 0 and toks and k < limit:
        late = _late_name(doc, lx, k, limit)
        if late is not None:
            return _NP(late, keep(toks), late[1])
    if role_mode:
        role_part = toks if split < 0 else toks[:split]
        name_part = [] if split < 0 else toks[split:]
        cut = next(
            (
                x
                for x, t in enumerate(name_part)
                if x > 0
                and _is_title(lx, doc.norm[t])
                and doc.norm[name_part[x - 1]] not in _NAME_LINKS
                # a title-like last word is a family name (محمد المرشد), a role needs more words
                and x < len(name_part) - 1
            ),
            len(name_part),
        )
        # عضو مجلس … أخصائي طب وجراحة العيون رئيس لجنة … الدكتور X: a second title inside the
        # "name" means a chain of roles; the name follows the honorific that closes the chain
        if name_part and any(x > 0 and _is_title(lx, doc.norm[t]) for x, t in enumerate(name_part)):
            h = name_part[0]
            while (
                h < limit
                and h - name_part[0] < 12
                and not _is_punct(doc.norm[h])
                and doc.norm[h] not in lx.compl
                and doc.norm[h] not in lx.compl_pron
                and not (_is_honor(lx, doc.norm[h]) and not _is_title(lx, doc.norm[h]))
            ):
                h += 1
            if (
                h + 1 < limit
                and h - name_part[0] < 12
                and _is_honor(lx, doc.norm[h])
                and not _is_title(lx, doc.norm[h])
            ):
                sub = _parse_np(doc, lx, h, limit)
                if sub is not None and sub.name is not None and sub.role is None:
                    return _NP(sub.name, keep(role_part + list(range(name_part[0], h))), sub.end)
        # استشاري جراحات القرنية وتصحيح الإبصار بالليزر الدكتور X: the role's own words ran into
        # the "name"; the honorific before the person's name shows where the name starts
        hon = next(
            (
                x
                for x, t in enumerate(name_part[:cut])
                if x > 0
                and _is_honor(lx, doc.norm[t])
                and not _is_title(lx, doc.norm[t])
                # عبد الله: the end of آية الله, inside a name
                and doc.norm[name_part[x - 1]] not in _NAME_LINKS | {"عبد"}
            ),
            None,
        )
        if hon is not None and hon + 1 < cut and not _is_honor(lx, doc.norm[name_part[hon + 1]]):
            role_part, name_part, cut = role_part + name_part[:hon], name_part[hon:], cut - hon
        name_part = name_part[:cut][:6]
        if (
            name_part
            and not any(doc.norm[t].startswith("ال") for t in role_part)
            and all(_nisba(doc.norm[t]) for t in name_part)
        ):
            # مصدر حكومي يوناني, مسؤول أمريكي: adjectives of an indefinite role, no name
            role_part, name_part = role_part + name_part, []
        if name_part:
            # إمام وخطيب المسجد الحرام الشيخ الدكتور X: honorifics before the name leave the role
            while len(role_part) > 1 and _is_honor(lx, doc.norm[role_part[-1]]):
                role_part = role_part[:-1]
        role = keep(role_part)
        name = keep(name_part, name=True)
        return _NP(name, role, end)
    name_part = toks if split < 0 else toks[:split]
    role_part = [] if split < 0 else toks[split:]
    name = keep(name_part[:6], name=True)
    if name is None:
        return None
    return _NP(name, keep(role_part), end)


#: relative pronouns that may open a reporting clause (… الذين يرون أن …)
_RELATIVES = frozenset({"الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان"})
_RELATIVES_CONJ = _RELATIVES | frozenset("و" + w for w in _RELATIVES) | frozenset("ف" + w for w in _RELATIVES)

#: nouns of an administrative area that a role may name with في (في منطقة عسير)
_ROLE_PLACE_NOUNS = frozenset({"منطقه", "محافظه", "مدينه", "ولايه", "امانه"})

#: words inside a name after which a title-like word is still the name (آل الشيخ, أبو الأمير)
_NAME_LINKS = frozenset({"ال", "آل", "ابو", "أبو", "بن", "ابن", "بنت"})


def _role_place(doc: _Doc, lx: _Lex, k: int) -> bool:
    """بـ + a place closing a role (المدير العام للتعليم بجازان, سفير فرنسا بتونس).

    The place is recognised by position: right after a prepositional genitive
    of the role (للتعليم، لشركة) or a known place name, not after an adjective
    (الرئيس السوري بشار الأسد keeps بشار as the name).
    """
    n = doc.norm[k]
    if len(n) <= 3 or not n.startswith("ب") or n.startswith("بال") or k == 0:
        return False
    if n in lx.given or n in doc.pers:
        return False  # المفوض العام للأونروا بيير كرينبول: a given name, not بـ + place
    p = doc.norm[k - 1]
    return p.startswith(("لل", "بال")) or n[1:] in lx.locs or p in lx.locs


def _quoted_outlet(doc: _Doc, lx: _Lex, j: int, limit: int) -> _NP | None:
    """An outlet noun and its name in quotation marks (صحيفة «آس» الإسبانية،
    موقع «ميدل إيست آي»): the name is the speaker; the noun and the
    adjectives after the name (الإسبانية، الإخباري) close the phrase."""
    if j + 2 >= limit or doc.norm[j] not in lx.outlets or doc.norm[j + 1] not in _QUOTE_CHARS:
        return None
    close = doc.pair_at.get(j + 1, (None, 0))[0]
    if close is None or not 1 <= close - j - 2 <= 5 or close >= limit:
        return None
    end = close + 1
    while end < limit and end - close <= 2 and doc.norm[end].startswith("ال") and _nisba(doc.norm[end][2:]):
        end += 1
    return _NP((j + 2, close), None, end)


def _nisba(n: str) -> bool:
    """An indefinite relative adjective (حكومي، يوناني، أمريكية، أوروبيون)."""
    n = _strip_conj(n)[0] if n[:1] == "و" and len(n) > 4 else n
    return len(n) >= 4 and not n.startswith("ال") and n.endswith(("ي", "يه", "يون", "يين", "يان"))


def _name_like(doc: _Doc, lx: _Lex, k: int) -> bool:
    """A word that can be part of a personal name after a role (not a title, stop or cue)."""
    n = doc.norm[k]
    return (
        doc.inside[k] < 0
        and not _np_stop(doc, lx, k)
        and not _is_title(lx, n)
        and not n.startswith(("لل", "بال"))
        and n not in lx.org
        and _bare(n) not in lx.org
    )


def _late_name(doc: _Doc, lx: _Lex, k: int, limit: int) -> tuple[int, int] | None:
    """The name of a role phrase that a short prepositional phrase interrupted.

    عميد التعلم الإلكتروني والتعليم عن بعد الدكتور عبدالعزيز العامر: an
    honorific is a hard boundary before a name; مدير المعهد في باريس، باسكال
    بونيفاس، أن …: a name in apposition between commas after the role. ``k``
    is where the role phrase stopped. Returns the name's token range.
    """
    m = k
    # الممثل الخاص للأمين العام للأمم المتحدة في العراق يان كوبيش إنه …: after the role's
    # genitives, a place phrase, then a name closed by the complementizer (two to four
    # plain words, no article)
    p = k
    while p < limit and p - k < 6 and doc.norm[p].startswith(("لل", "ال")) and not _np_stop(doc, lx, p):
        p += 1
    if p < limit and doc.norm[p] == "في" and p + 3 < len(doc.norm) and _in(lx.locs, doc.norm[p + 1]):
        e = p + 2
        while e < limit and e - p - 2 < 4 and _name_like(doc, lx, e) and not doc.norm[e].startswith("ال"):
            e += 1
        if 2 <= e - p - 2 and e < len(doc.norm) and (doc.norm[e] in lx.compl or doc.norm[e] in lx.compl_pron):
            return (p + 2, e)
    # skip a short framing phrase (في باريس, عن بعد) that is not punctuation
    if doc.norm[m] in lx.stops or doc.norm[m] in lx.time:
        e = m + 1
        while e < limit and e - m <= 3 and not _is_punct(doc.norm[e]) and not _is_honor(lx, doc.norm[e]):
            if doc.norm[e] in lx.compl or doc.norm[e] in lx.compl_pron or _cue_lookup(lx, doc.norm[e]):
                return None
            e += 1
        m = e
    comma = m < limit and doc.norm[m] in ("،", ",")
    if comma:
        m += 1
        if m < limit and doc.norm[m] in lx.stops and doc.norm[m] not in lx.compl:
            # مدير مكتب الحملة …، في لبنان وليد الجلال إن: a second short framing phrase,
            # up to a given name
            e = m + 1
            while e < limit and e - m <= 3 and not _is_punct(doc.norm[e]) and not _is_honor(lx, doc.norm[e]):
                if doc.norm[e] in lx.given or doc.norm[e] in doc.pers:
                    break
                if doc.norm[e] in lx.compl or doc.norm[e] in lx.compl_pron or _cue_lookup(lx, doc.norm[e]):
                    return None
                e += 1
            if e < limit and e > m + 1 and (doc.norm[e] in lx.given or doc.norm[e] in doc.pers):
                m = e
    h = m
    while h < limit and (
        (_is_honor(lx, doc.norm[h]) and not _is_title(lx, doc.norm[h]))
        or (h > m and doc.norm[h] == "." and len(doc.norm[h - 1]) == 1)  # د. X
    ):
        h += 1
    if h == m and not comma:
        return None  # neither an honorific nor an apposition: no name here
    e = h
    while e < limit and e - h < 6 and _name_like(doc, lx, e):
        e += 1
    if e == h:
        return None
    # the name must close the phrase: punctuation, a complementizer or the window's end
    closes = e >= limit or _is_punct(doc.norm[e]) or doc.norm[e] in lx.compl or doc.norm[e] in lx.compl_pron
    if not closes and (comma or doc.norm[e] not in lx.stops):
        return None
    return (h, e)


# clause openers that begin reported speech with no إن/أن and no colon: modal and
# impersonal verbs, negation/future particles, pronouns (GUIDELINES §1.1: indirect)
_UNMARKED_OPENERS = frozenset(
    {"يجب", "ينبغي", "يتعين", "يمكن", "لابد", "تم", "تمت", "يتم", "لقد", "قد", "لن", "لم", "هناك", "نحن", "ليس", "ليست"}
)


def _role_word(lx: _Lex, n: str) -> bool:
    """A word that can continue a role phrase (الخارجية, للرابطة, باسم, بالمحكمة)."""
    core = n[1:] if n[:1] in "لبو" else ""
    return (
        n.startswith(("ال", "لل", "بال", "وال"))
        or (core and (_in(lx.org, core) or _is_title(lx, core)))
        or n == "باسم"
        or _is_title(lx, n)
        or n in lx.org
        or _bare(n) in lx.org
    )


def _is_head(lx: _Lex, n: str) -> bool:
    """A noun that governs a genitive in a role (وزير الخارجية, لاعب نادي, باسم الكرملين)."""
    if n.startswith("ال") and n not in ("الناطق", "المتحدث", "الناطقه", "المتحدثه"):
        return False
    core = n[1:] if n[:1] in "لب" and len(n) > 3 else n
    return _is_title(lx, n) or n == "باسم" or core in lx.org or n in lx.org or core in lx.titles
