"""One candidate quotation per licensed cue: its speaker (VSO, SVO, a fronted
or headline subject, a group), addressee and relay, and the checks that
veto a cue (stance verbs, adjectival participles, blockers).

Part of :mod:`newsan.extract.quotes` (see its docstring for the whole method).
"""

from __future__ import annotations

from collections.abc import Sequence

from newsan.extract.quotes.cues import _cue_lookup, _gender, _strip_conj
from newsan.extract.quotes.document import _NP, _Cand, _Doc, _is_punct
from newsan.extract.quotes.licence import _MASDAR_ONLY, _find_license, _relative_cue_at
from newsan.extract.quotes.phrases import (
    _RELATIVES_CONJ,
    _UNMARKED_OPENERS,
    _is_honor,
    _is_source_word,
    _is_title,
    _np_stop,
    _parse_np,
)
from newsan.extract.quotes.tables import _COMMAS, _QUOTE_CHARS, _RESUMPTIVES, _bare, _in, _Lex
from newsan.model import Entity


def _statement_owner(doc: _Doc, lx: _Lex, cand: _Cand, limit: int) -> None:
    """وذكر بيان للبعثة الأممية أن …: the body that issued the statement is the speaker."""
    sp = cand.speaker
    if sp is None or sp[1] - sp[0] != 1 or cand.role is not None:
        return
    if _bare(doc.norm[sp[0]]) not in lx.statements or doc.norm[sp[0]].startswith("ال"):
        return  # only an indefinite بيان لـ…; البيان الصادر عن … is handled as a relay
    k = sp[1]
    if k >= limit:
        return
    n = doc.norm[k]
    if not n.startswith("ل") or len(n) <= 3 or n in lx.stops or n in lx.blockers:
        return
    e = k + 1
    while e < limit and e - k < 4 and doc.norm[e].startswith("ال") and not _np_stop(doc, lx, e):
        e += 1
    cand.speaker = (k, e)
    cand.speaker_strip = 0 if n.startswith("لل") else 1  # لوزارة الصحة -> وزارة الصحة


_DEMONSTRATIVES = frozenset({"ذلك", "هذا", "ذلكم", "هذه", "بذلك", "بهذا"})


def _fronted_content(doc: _Doc, lx: _Lex, i: int, seen: list[_Cand]) -> _Cand | None:
    """أوضح ذلك المهندس X …: the content is the sentence before the cue.

    The cue opens its sentence, a demonstrative object (ذلك، هذا) points back,
    and a speaker follows. The previous sentence (not the title) becomes the
    content unless it already holds a quotation.
    """
    lim = min(doc.hard_end[i], doc.para_end[i])
    if doc.sent_start[i] != i or i + 2 >= lim or doc.norm[i + 1] not in _DEMONSTRATIVES:
        return None
    p = i - 1
    while p >= 0 and (_is_punct(doc.norm[p]) or doc.norm[p] in _QUOTE_CHARS):
        p -= 1
    if p < 0:
        return None
    ps = doc.sent_start[p]
    if doc.para[ps] == 0 or doc.para[i] - doc.para[ps] > 1 or p + 1 - ps < 4:
        return None
    if any(ps <= d.cue <= p or ps <= d.cstart <= p for d in seen if d.cue_kind != "mention"):
        return None
    hit = _cue_lookup(lx, doc.norm[i])
    if hit is None:
        return None
    cand = _Cand(cue=i, cue_kind="verb", gender=_gender(*hit[:3]), cstart=ps, lic="np")
    cand.cend = p + 1
    cand.fixed_end = True
    cand.anchor = i
    end = i + 2
    while end < lim and _cue_lookup(lx, doc.norm[end]) is None and doc.norm[end] not in lx.compl:
        end += 1
    _speaker_right(doc, lx, cand, i + 2, end, lx.verb.get(_strip_conj(doc.norm[i])[0], ""))
    if cand.speaker is None:
        return None
    return cand


def _from_addressee_object(doc: _Doc, lx: _Lex, i: int, preps: frozenset[str]) -> tuple[tuple[int, int], int] | None:
    """طلب من الركاب إخراج …: (addressee range, first content token) or None.

    The addressee is the pronoun on من or a run of definite words after it; the
    content is the indefinite noun (a masdar) that follows.
    """
    lim = min(doc.hard_end[i], doc.para_end[i])
    k = i + 1
    if k >= lim or doc.norm[k] not in preps:
        return None
    start = k + 1
    end = start
    if doc.norm[k] == "من":
        while end < lim and end - start < 4 and doc.norm[end].startswith("ال") and not _np_stop(doc, lx, end):
            end += 1
        if end == start:
            return None
    if end >= lim:
        return None
    n = doc.norm[end]
    if _is_punct(n) or _np_stop(doc, lx, end) or n.startswith(("ال", "و")) or len(n) < 3 or n[0] == "ي":
        return None  # an imperfect verb or a new clause, not an object
    return (start, end), end


def _clause_start(doc: _Doc, lx: _Lex, i: int, floor: int) -> int:
    """First token of the clause that ends at cue ``i`` (scanning back to punctuation)."""
    a = i
    while a - 1 >= floor:
        n = doc.norm[a - 1]
        o = doc.inside[a - 2] if a >= 2 and n in _QUOTE_CHARS else -1
        if o > floor and doc.norm[o - 1] in lx.outlets and doc.pair_at.get(o, (None, 0))[0] == a - 1:
            a = o - 1  # صحيفة «آس» الإسبانية كتبت: an outlet's quoted name is part of the subject
            continue
        if _is_punct(n) or doc.inside[a - 1] >= 0 or n in lx.compl or n in lx.compl_pron or n in ("فان", "لان"):
            break
        if _strip_conj(n)[0] in lx.subordinators:
            a -= 1  # حين نفى …: the clause starts at the conjunction
            break
        if _cue_lookup(lx, n) is not None:
            break
        a -= 1
        if i - a > 22 or (i - a > 14 and not (_is_honor(lx, doc.norm[a]) or _is_title(lx, doc.norm[a]))):
            break  # (صاحب السمو الملكي الأمير X مستشار … أمير منطقة … صرح: a long titled subject)
    return a


def _left_subject(doc: _Doc, lx: _Lex, i: int, floor: int) -> tuple[_NP | None, int, bool, bool]:
    """Subject before the verb (SVO: الوزير قال, وكان خامنئي قد قال, X يقول إن).

    Returns (noun phrase, clause start, framed by a prepositional opener such
    as وعن اختياره …, whether the noun phrase ends right at the verb).
    """
    a = _clause_start(doc, lx, i, floor)
    start = a
    b = a
    while b < i and (doc.norm[b] in lx.aux or doc.norm[b] in ("و", "ف")):
        b += 1
    e = i
    while e > b and doc.norm[e - 1] in lx.aux:
        e -= 1
    if b >= e:
        return None, start, False, False
    first = _strip_conj(doc.norm[b])[0]
    if first in lx.subordinators and b + 1 < i:
        # لكن بعض ساسة اليسار يرون …: an SVO clause after a conjunction keeps its subject
        h = doc.norm[b + 1] if b + 1 < e else ""
        definite = h.startswith("ال") or h in lx.quantifiers or _is_title(lx, h)
        if not definite and h and h[:1] not in "يتنبلكفو" and h not in lx.openers and h not in lx.stops:
            # a bare name (لكن دندن انتقد …) before a cue in the past tense
            hit = _cue_lookup(lx, doc.norm[i])
            definite = hit is not None and not _imperfect(lx, hit[0], doc.norm[i]) and e - b <= 4
        ok = definite and first not in lx.openers - {"لكن", "ولكن", "بل"}
        sub: _NP | None = None
        if ok and h in lx.quantifiers and e - b <= 6 and not any(_is_punct(doc.norm[m]) for m in range(b + 1, e)):
            sub = _NP((b + 1, e), None, e)  # بعض ساسة اليسار: a quantified group
        elif ok and h not in lx.stops:
            sub = _parse_np(doc, lx, b + 1, e)
        if sub is not None and sub.speaker is not None and sub.end == e and e - b <= 7 and not _is_punct(h):
            return sub, start, True, True
        return None, start, True, False
    if (
        doc.norm[b] in lx.openers
        or first in lx.openers
        or doc.norm[b] in lx.blockers
        or first in lx.stops
        or first in lx.blockers
    ):
        return None, start, True, False
    titled = (_is_honor(lx, doc.norm[b]) or _is_title(lx, doc.norm[b])) and doc.sent_start[b] == b
    if (
        e - b > (20 if titled else 7)
        or doc.norm[b].startswith(("لل", "بال"))
        or (
            start > 0
            and doc.para[start - 1] == doc.para[start]
            and not _is_punct(doc.norm[start - 1])
            and doc.sent_start[start] != start
            and doc.norm[start - 1] not in lx.compl
        )
    ):
        return None, start, False, False  # not a subject standing at the head of its clause
    if _cue_lookup(lx, doc.norm[b]) is not None:
        return None, start, False, False
    if _strip_conj(doc.norm[b])[0] in lx.pron_conj or doc.norm[b] in lx.pron_conj:
        return None, start, True, False  # لكنه شدد …: a pronoun subject, resolved later
    np = _parse_np(doc, lx, b, e)
    if np is not None and np.name is None and _is_honor(lx, doc.norm[b]):
        # صاحب السمو الملكي الأمير خالد الفيصل …: parse after the honorific formula
        hon = b
        while hon < e and _is_honor(lx, doc.norm[hon]):
            hon += 1
        np2 = _parse_np(doc, lx, hon, e) if b < hon < e else None
        if np2 is not None and np2.name is not None and np2.end == np.end:
            np = np2
    if np is None or np.speaker is None or _not_speaker(doc, lx, np.speaker):
        return None, start, False, False
    if np.end < e:
        return None, start, False, False  # the words before the verb are not one noun phrase
    return np, start, False, True


def _sentence_subject(doc: _Doc, lx: _Lex, i: int, gender: str = "") -> _NP | None:
    """Subject of the sentence's main verb (كان X …, كشفت X …, من جهته، وصف X …)."""
    s = doc.sent_start[i]
    # skip a framing phrase ending in a comma (من جهته، …; وفي سياق متصل، …)
    if s < i and _strip_conj(doc.norm[s])[0] in lx.openers:
        comma = next((m for m in range(s, min(i, s + 6)) if doc.norm[m] in _COMMAS), -1)
        if comma > 0:
            s = comma + 1
    if s >= i:
        return None
    n = doc.norm[s]
    if n in ("كان", "كانت", "وكان", "وكانت", "فكان", "فكانت"):
        np = _parse_np(doc, lx, s + 1, i)
        return np if np and np.speaker else None
    cue = _cue_lookup(lx, n)
    if cue is not None and cue[0] == "verb" and s + 1 < i:
        g = _gender(*cue[:3])
        if gender and g and g != gender:
            return None  # وأوضح السليطي … حيث تطرقت …: another source
        np = _parse_np(doc, lx, s + 1, i)
        if np and np.speaker:
            return np
    return None


def _drop_inside_speaker_windows(cands: list[_Cand]) -> list[_Cand]:
    """Drop a cue that lies between an earlier cue and that cue's content
    (``d.cue < c.cue < d.cstart``, headlines excepted): one sweep in cue order
    keeping the furthest content start seen so far, instead of comparing every
    pair (a hostile document of many short quotations made that quadratic)."""
    real = sorted((c for c in cands if c.cue_kind != "mention"), key=lambda c: c.cue)
    drop: set[int] = set()
    reach = -1  # the furthest content start of the non-headline cues strictly before
    i = 0
    while i < len(real):
        j = i
        while j < len(real) and real[j].cue == real[i].cue:
            j += 1
        group = real[i:j]
        for c in group:
            if c.cue < reach:
                drop.add(id(c))
        for d in group:
            if d.cue_kind != "headline":
                reach = max(reach, d.cstart)
        i = j
    return [c for c in cands if id(c) not in drop]


def _cue_candidate(
    doc: _Doc, lx: _Lex, i: int, seen: list[_Cand], entities: Sequence[Entity] = (), propose: bool = False
) -> _Cand | None:
    hit = _cue_lookup(lx, doc.norm[i])
    if hit is None and propose:
        n = doc.norm[i]
        for form, k in ((n, 0), _strip_conj(n)):
            if form in lx.proposed:
                hit = ("part" if form.startswith("م") else "verb", lx.proposed[form], form, k)
                break
    if hit is None and i > 0 and doc.norm[i - 1] in _RELATIVES_CONJ and _relative_cue_at(lx, doc, i):
        # التي اعتبرها مسؤولو البارسا أنها …: a relative's verb carries a resumptive object pronoun
        n = doc.norm[i]
        for suf in ("ها", "هم", "ه"):
            if n.endswith(suf) and len(n) - len(suf) >= 3:
                hit = _cue_lookup(lx, n[: -len(suf)])
                if hit is not None and hit[0] == "verb":
                    break
                hit = None
    n0 = doc.norm[i]
    if hit is None and (n0 in lx.shadda_only or n0[1:] in lx.shadda_only) and "\u0651" in doc.toks[i].text:
        # عدّد (enumerated), never عدد (number): a cue only when the shadda is written
        for f, k in ((doc.norm[i], 0), _strip_conj(doc.norm[i])):
            if f in lx.shadda_only:
                hit = ("verb", lx.shadda_only[f], f, k)
                break
    if hit is None:
        return None
    kind, lemma, form, clitic = hit
    if (form in lx.impersonal or doc.norm[i] in lx.impersonal) and i + 1 < len(doc.norm):
        nx = doc.norm[i + 1]
        if (
            nx in lx.compl
            or nx in lx.compl_pron
            or nx in ("لدي", "لديه", "لديها", "لديهم")
            or (nx.startswith("ل") and len(nx) > 2 and nx not in lx.stops)
        ):
            return None  # وتبين أن …, ترجح لدى الفريق أن …: "it became clear", nobody speaks
    gender = _gender(kind, lemma, form)
    prev = doc.norm[i - 1] if i > 0 and doc.para[i - 1] == doc.para[i] else ""
    # X، الذين يرون أن …, تصريحاته التي قال فيها "…": a relative clause that reports words
    relative = kind == "verb" and prev in _RELATIVES_CONJ and doc.inside[i] < 0
    # with propose, a veto does not drop the cue: it becomes evidence (veto=…) for the model
    vetoes: list[str] = []
    if not relative and (
        prev in lx.blockers
        or _strip_conj(prev)[0] in lx.blockers
        or (prev in ("ان",) and kind == "verb" and form.startswith(("ي", "ت")))
    ):
        if kind == "verb" and prev in ("ما", "عما", "مما", "بما", "لما"):
            if not propose:
                _note_mention(doc, lx, i, gender, seen)  # ما صرحت به القوبنطيني: a source, not a quote
        if not propose:
            return None
        vetoes.append("blocker")
    if clitic == 0 and (form in lx.conj_only or doc.norm[i] in lx.conj_only):
        if not propose:
            return None  # أبرز ملامحه: an elative noun unless it opens a clause with و/ف
        vetoes.append("conj_only")
    # وقفات احتجاجية منددة ب…, كتب تكفيرية تحث على …: a participle or verb qualifying a noun
    adjectival = (
        (kind == "part" and form.endswith("ه") or _imperfect(lx, kind, doc.norm[i]))
        and bool(prev)
        and not _is_punct(prev)
        and not prev.startswith("ال")
        and prev.endswith(("يه", "ات"))
        and len(prev) >= 4
        and _cue_lookup(lx, prev) is None
    )
    if prev == "كما" and lemma in ("نقل", "ذكر"):
        return None  # كما نقلت «رويترز»: the via of the quote before (see _relays)
    if doc.inside[i] >= 0 and kind != "part":
        return None
    strict = form in lx.strict or doc.norm[i] in lx.strict
    # (a closing quotation mark opens no clause: … بـ "الجوهرة اف أم" | عبر بوليتيكا)
    if strict and not (clitic or prev == "" or (_is_punct(prev) and prev not in _QUOTE_CHARS)):
        if not propose:
            return None
        vetoes.append("strict")
    if (form in lx.formulas or doc.norm[i] in lx.formulas) and i + 1 < len(doc.norm):
        nx = doc.norm[i + 1]
        if nx in lx.compl or nx in lx.compl_pron or nx in ("الى", "إلى"):
            if nx in lx.compl:
                # يذكر أن وزير الخارجية المصري سامح شكري، كان …: the narrator introduces a
                # person whom a following dropped-subject cue may refer to
                lim = min(doc.hard_end[i], doc.para_end[i])
                np = _parse_np(doc, lx, i + 2, lim)
                if np is not None and np.name is not None and np.role is not None:
                    m = _Cand(cue=i, cue_kind="mention", gender="", cstart=i)
                    m.speaker = np.name
                    seen.append(m)
            return None  # ويذكر أن …: the narrator's formula
    lic = _find_license(doc, lx, i, kind, lemma, strict)
    if kind == "verb" and lemma == "قال" and not relative and doc.inside[i] < 0 and (lic is None or lic[0] == "compl"):
        bare = _unmarked_start(doc, lx, i, form)
        if bare is not None and (lic is None or bare < lic[3]):
            lic = ("compl", bare, 0, bare)  # وقال ستولكر تمت كتابة …: unmarked speech (indirect)
    if lic is not None and prev in ("كما", "وكما") and lic[0] not in ("compl", "colon", "open"):
        return None  # كما يشير …: a parenthetical, not a report
    if (
        (lic is None or lic[0] == "np")
        and kind == "verb"
        and lemma in lx.np_object
        and lemma not in _MASDAR_ONLY
        and not strict
    ):
        lim = min(doc.hard_end[i], doc.para_end[i])
        np = _parse_np(doc, lx, i + 1, lim)
        if (
            np is not None
            and np.end + 1 < lim
            and (lic is None or np.end < lic[1])
            and doc.norm[np.end] in ("،", ",")
            and not _np_stop(doc, lx, np.end + 1)
            and doc.norm[np.end + 1] not in lx.framing
        ):
            # وصف X، الخطاب …; عدّد الشيخ X، موجبات … (before a later masdar of the object)
            lic = ("np", np.end + 1, 0, np.end)
    if lic is None and kind == "verb" and not relative:
        fr = _fronted_content(doc, lx, i, seen)
        if fr is not None:
            return fr
    from_addr: tuple[int, int] | None = None
    if lic is None and kind == "verb" and lemma in lx.from_addressee and (clitic or prev == "" or _is_punct(prev)):
        fa = _from_addressee_object(doc, lx, i, lx.from_addressee[lemma])
        if fa is not None:
            from_addr, cs = fa
            lic = ("np", cs, 0, i + 1)  # وطلب من الجميع ضرورة …: addressee, then the directive
    if lic is None and propose and doc.inside[i] < 0:
        lic = _proposed_licence(doc, lx, i)
        if lemma in lx.stance:
            vetoes.append("stance")  # ترى الغرب على أنه …: a stance, unless the model says otherwise
    if lic is None:
        return None
    how, cstart, skip, wend = lic
    if adjectival and how in ("prep", "np", "proposed_obj"):
        if not propose:
            return None
        vetoes.append("adjectival")
    if relative and (how not in ("compl", "open") or cstart - i > 7):
        return None  # only a complementizer or quotation right after the relative's verb
    if relative and how == "compl" and lemma != "قال" and doc.toks[wend].text.startswith("إ"):
        return None  # التي أكدت قرار … إن …: إن belongs to an outer قال
    if doc.inside[i] >= 0 and how != "compl":
        return None
    if cstart >= doc.para_end[i]:
        return None
    cand = _Cand(
        cue=i, cue_kind=kind, gender=gender, cstart=cstart, cstart_skip=skip, lic=how, relative=relative, clitic=clitic
    )
    cand.vetoes = vetoes
    if from_addr is not None and from_addr[1] > from_addr[0]:
        cand.addressee = from_addr
    # a resumptive object pronoun on the verb (اعتبرها): the antecedent is not the speaker
    cand.resumptive = relative and _cue_lookup(lx, doc.norm[i]) is None
    cand.anchor = i
    cand.np_content = how in ("prep", "np")
    if kind == "verb":
        np2, start, framed, exact = _left_subject(doc, lx, i, doc.sent_start[i])
        if framed:
            cand.anchor = start  # وعن اختياره … قال: the framing phrase is the narrator's
        kana = doc.norm[start] in ("كان", "كانت", "وكان", "وكانت", "فكان", "فكانت") if start < i else False
        svo = np2 is not None and np2.speaker is not None and (kana or (exact and not clitic))
        if (
            svo
            and lemma in lx.stance
            and np2 is not None
            and (sp2 := np2.speaker) is not None
            and doc.norm[sp2[0]] in lx.quantifiers
        ):
            return None  # بعض الساسة يرون أنه …: the general stance of a group (GUIDELINES §1.2)
        if not svo:
            # a verb written with a plural suffix (قالوا، يرون) carries its own pronoun
            # subject: a noun phrase after it is its object (وطالبوا الرئيس الجديد ب…)
            pro = gender == "p" and form.endswith(("وا", "ون"))
            j0 = i + 1
            if relative and j0 < wend and doc.norm[j0] in _RESUMPTIVES:
                j0 += 1  # الوقت الذي أجمع فيه العالم على أن …: the subject follows the resumptive
                cand.resumptive = True
            _speaker_right(doc, lx, cand, j0, wend, lemma, pro_subject=pro)
            if (
                cand.speaker is not None
                and lemma in lx.addressee_object
                and clitic
                and doc.sent_start[i] == i
                and any(p.speaker is not None for p in seen)
                and not _named_source(doc, lx, cand.speaker, entities)
                # agreement: دعت الحكومة (feminine verb and noun), دعا المتظاهرون (nominative plural)
                and not (gender == "f" and doc.norm[cand.speaker[0]].endswith("ه"))
                and not doc.norm[cand.speaker[0]].endswith("ون")
            ):
                # ودعا الهياكل القضائية إلى أن …: after دعا/حث/ناشد a plain definite noun
                # phrase is the addressee; the subject is dropped (resolved later)
                cand.speaker, cand.role = None, None
            if cand.speaker is None and (form in lx.formulas or doc.norm[i] in lx.formulas):
                return None  # يذكر … أن: the narrator's formula, nobody speaks
            if (
                how in ("prep", "np", "proposed_obj")
                and cand.speaker is not None
                and not _plausible_source(doc, lx, cand.speaker, _entity_words(entities))
            ):
                if not propose:
                    return None  # ويؤكد واقع ذلك التأثير … على …: not a source speaking
                vetoes.append("implausible_source")
        _statement_owner(doc, lx, cand, wend)
        if cand.speaker is not None and doc.pers:
            _entity_name(doc, lx, cand, wend)
        if cand.speaker is None and np2 is not None and np2.speaker is not None:
            cand.speaker, cand.role = np2.speaker, (np2.role if np2.name else None)
            cand.anchor = start
        if cand.speaker is None and (doc.norm[i].startswith("ف") or (i and doc.norm[i - 1] in _FA_PARTICLES)):
            topic = _topic_subject(doc, lx, i)
            if topic is not None:
                cand.speaker, cand.role = topic.speaker, (topic.role if topic.name else None)
    else:
        _speaker_right(doc, lx, cand, i + 1, wend, lemma, participle=True)
        if cand.speaker is None and prev not in _COMMAS and doc.inside[i] < 0:
            # وختم المناعي قائلا “…”: the subject of the verb just before the participle
            a = _clause_start(doc, lx, i, doc.sent_start[i])
            if (
                2 <= i - a <= 5
                and doc.norm[a][:1] in "وف"
                and a > 0
                and (_is_punct(doc.norm[a - 1]) or doc.sent_start[a] == a)
            ):
                np3 = _parse_np(doc, lx, a + 1, i)
                if np3 is not None and np3.speaker is not None and np3.end == i:
                    cand.speaker, cand.role = np3.speaker, (np3.role if np3.name else None)
                    cand.anchor = a
    return cand


def _proposed_licence(doc: _Doc, lx: _Lex, i: int) -> tuple[str, int, int, int] | None:
    """A content start for a cue no licence supports (``extract_quotes(propose=True)``):
    the first complementizer, colon or opening quotation mark of the clause, else
    the word after the cue (the speaker search then runs up to the clause end)."""
    limit = min(doc.hard_end[i], doc.para_end[i])
    for k in range(i + 1, min(limit, i + 16)):
        n = doc.norm[k]
        if n in lx.compl_pron:
            return "proposed_compl", k, (1 if n[0] in "بو" else 0), k
        if n in lx.compl:
            return ("proposed_compl", k + 1, 0, k) if k + 1 < limit else None
        if n == ":":
            return ("proposed_colon", k + 1, 0, k) if k + 1 < limit else None
        if n in _QUOTE_CHARS and k in doc.pair_at and doc.pair_at[k][0] is not None:
            return "proposed_open", k, 0, k
    if i + 2 >= limit:
        return None
    return "proposed_obj", i + 1, 0, i + 1


#: ف written on a particle before the cue: أما X (،) فقد أكد …
_FA_PARTICLES = frozenset({"فقد", "فلقد"})


def _topic_subject(doc: _Doc, lx: _Lex, i: int) -> _NP | None:
    """The topic of ``أما X (،) فأوضح …``: X speaks (a cue written with ف, or
    after فقد: أما الحزب الاشتراكي فقد أكد …)."""
    s = doc.sent_start[i]
    k = i - 1
    while k > s and i - k <= 16 and _strip_conj(doc.norm[k])[0] != "اما":
        if _cue_lookup(lx, doc.norm[k]) is not None or doc.inside[k] >= 0:
            return None
        k -= 1
    if _strip_conj(doc.norm[k])[0] != "اما":
        return None
    end = i - 1 if doc.norm[i - 1] in _FA_PARTICLES else i
    while end > k + 1 and _is_punct(doc.norm[end - 1]):
        end -= 1
    if end <= k + 1:
        return None
    np = _parse_np(doc, lx, k + 1, end)
    if np is None or np.speaker is None or np.end != end or _not_speaker(doc, lx, np.speaker):
        return None
    return np


def _unmarked_start(doc: _Doc, lx: _Lex, i: int, form: str) -> int | None:
    """First token of unmarked speech after a past قال (وقال يجب أن …، وقال X تمت …)."""
    if form not in ("قال", "قالت"):
        return None
    limit = min(doc.hard_end[i], doc.para_end[i])
    j = i + 1
    if j >= limit:
        return None
    if doc.norm[j] in _UNMARKED_OPENERS:
        return j if j + 1 < limit else None
    np = _parse_np(doc, lx, j, limit)
    if np is None or np.speaker is None or np.end + 1 >= limit:
        return None
    if np.name is None or _not_speaker(doc, lx, np.speaker):
        return None
    return np.end if doc.norm[np.end] in _UNMARKED_OPENERS else None


def _org_words(entities: Sequence[Entity]) -> frozenset[str]:
    """The article's one-word ORG names (رويترز، فيسبوك), normalized."""
    from newsan.normalize import normalize_word

    return frozenset(
        w for e in entities if e.label == "ORG" for form in (e.canonical, *e.aliases) if " " not in (w := normalize_word(form))
    )


def _org_mentions(doc: _Doc, entities: Sequence[Entity]) -> tuple[dict[int, int], dict[int, int]]:
    """The ORG mentions of ``entities`` on ``doc``'s tokens: first token -> end
    token (names of two words or more), and the same for the mentions that
    follow a glued لـ (لموزاييك إف إم)."""
    from bisect import bisect_left, bisect_right

    starts = [t.start for t in doc.toks]
    out: dict[int, int] = {}
    after_l: dict[int, int] = {}
    for e in entities:
        if e.label != "ORG":
            continue
        for m in e.mentions:
            a = bisect_left(starts, m.start)
            b = bisect_left(starts, m.end)
            if a < len(starts) and starts[a] == m.start and b > a + 1:
                out[a] = max(out.get(a, 0), b)
            k = bisect_right(starts, m.start) - 1
            if k >= 0 and m.start == starts[k] + 1 and doc.toks[k].text[:1] == "ل":
                after_l[k] = max(after_l.get(k, 0), bisect_left(starts, m.end))
    return out, after_l


def _in_org(doc: _Doc, sp: tuple[int, int], k: int) -> int:
    """The end of an ORG mention that begins the speaker ``sp`` and runs past ``k``
    (الاتحاد الدولي | لركوب الأمواج: a genitive of the name, not an addressee), else -1."""
    end = doc.org_at.get(sp[0], -1)
    return end if sp[1] == k and end > k else -1


#: لـ with a first or second person pronoun after a cue (قال لي، قالت لنا)
_TO_ME = frozenset({"لي", "لنا", "لك", "لكم"})


def _addressee_word(doc: _Doc, lx: _Lex, k: int) -> bool:
    """A word glued to لـ that is the addressee even before any subject (وقال
    للصحفيين، وقال لوكالة فرانس برس، وقال لرويترز): ل + the article (للصحفيين),
    an outlet noun or one of the article's one-word ORG names; never a given
    name (لطفي، ليلى) or a person of the article."""
    n = doc.norm[k]
    if len(n) <= 3 or n in lx.given or n in doc.pers or n in lx.stops:
        return False
    rest = n[1:]
    if n.startswith("لل"):
        return "ال" + n[2:] not in lx.time  # (للأسبوع: a time phrase)
    if len(n) >= 6 and n.endswith(("ها", "هم", "هما")) and n not in lx.given:
        return True  # لوالديها، لأصدقائهم: a noun with a possessive pronoun is a listener, never a subject
    return _bare(rest) in lx.outlets or rest in lx.outlets or rest in doc.orgs or k in doc.org_after_l


def _pers_forms(entities: Sequence[Entity]) -> dict[str, list[tuple[str, ...]]]:
    """PERS names of the article (canonical and aliases), indexed by their first word."""
    from newsan.normalize import normalize_word

    out: dict[str, list[tuple[str, ...]]] = {}
    for e in entities:
        if e.label != "PERS":
            continue
        for form in (e.canonical, *e.aliases):
            words = tuple(normalize_word(form).split())
            if words and (len(words) > 1 or len(words[0]) >= 3):
                out.setdefault(words[0], []).append(words)
    for forms in out.values():
        forms.sort(key=len, reverse=True)
    return out


def _entity_name(doc: _Doc, lx: _Lex, cand: _Cand, wend: int) -> None:
    """A PERS entity inside or right after a role-only speaker is the speaker (GUIDELINES §1.3).

    وقال مدير المعهد في باريس الباحث جون سميث إن …: when the tagger found the
    person, the role phrase ends where the name begins.
    """
    if cand.speaker is None or cand.role is not None:
        return
    s, e = cand.speaker
    first = doc.norm[s]
    if not (_is_title(lx, first) or _is_honor(lx, first)):
        return  # the speaker is already a name
    end = min(wend, s + 30, len(doc.norm))
    # the name starts inside the role phrase or right after it (past honorifics and a comma),
    # never further on (قال كبير الدبلوماسيين لـ … بوتين: an addressee)
    last = e
    while last < end and (doc.norm[last] in ("،", ",") or _is_honor(lx, doc.norm[last])):
        last += 1
    for k in range(s + 1, min(last + 1, end)):
        n = doc.norm[k]
        key = n if n in doc.pers else (n[1:] if n[:1] in "وبل" and n[1:] in doc.pers else None)
        if key is None or doc.inside[k] >= 0:
            continue
        for words in doc.pers[key]:
            m = k + len(words)
            if m > end:
                continue
            if all(doc.norm[k + x] == w or (x == 0 and doc.norm[k][1:] == w) for x, w in enumerate(words)):
                r_end = k
                while r_end > s and (
                    _is_punct(doc.norm[r_end - 1])
                    or _is_honor(lx, doc.norm[r_end - 1])
                    or doc.norm[r_end - 1] in lx.stops
                ):
                    r_end -= 1
                cand.role = (s, r_end) if r_end > s else None
                cand.speaker = (k, m)
                return


def _speaker_right(
    doc: _Doc,
    lx: _Lex,
    cand: _Cand,
    j: int,
    limit: int,
    lemma: str,
    participle: bool = False,
    pro_subject: bool = False,
) -> None:
    """Speaker, addressee and via from the words between the cue and its content."""
    relay_from = -1
    for k in range(j, limit):
        if doc.norm[k] == "عن" and (lemma == "نقل" or (k > j and doc.norm[k - 1] == "نقلا")):
            relay_from = k
            break
    if relay_from >= 0:
        _relay(doc, lx, cand, j, relay_from, limit, participle)
        return
    if participle:
        return
    k = j
    while k < limit:
        n = doc.norm[k]
        if n in ("معاليه", "سموه", "فضيلته", "سيادته", "بدوره", "بدورها", "بدورهم"):
            return  # a pronoun subject: resolved later
        if n in lx.adverbs or (_is_punct(n) and n not in _QUOTE_CHARS):
            k += 1
            continue
        if cand.speaker is None and not pro_subject:
            group = _group_at(doc, lx, k, limit)
            if group is not None:
                cand.speaker = group  # قال كل من A وB وC، إن …: one coordinated speaker
                cand.gender = "p"
                k = group[1]
                continue
        if pro_subject and cand.speaker is None and not _is_punct(n) and n not in _QUOTE_CHARS:
            break  # the pronoun subject is resolved later; what follows is an object
        if cand.speaker is None and n in _TO_ME and (n not in doc.pers or k + 1 < limit and doc.norm[k + 1] in lx.given):
            k += 1  # وقال لي: «…»، فقال لي يوسف: …: "to me / us / you", not a subject (a name لي is a PERS form)
            continue
        if cand.speaker is not None and (org_end := _in_org(doc, cand.speaker, k)) > 0:
            cand.speaker = (cand.speaker[0], min(org_end, limit))
            k = org_end
            continue
        if n == "ل" or (
            n.startswith("ل")
            and len(n) > 3
            and n not in lx.stops
            and n not in lx.time  # (للمرة الثانية: a time phrase)
            and (cand.speaker is not None or _addressee_word(doc, lx, k))
        ):
            k = _addressee(doc, lx, cand, k, limit)
            continue
        if cand.speaker is None and n in lx.time and not n.startswith("ل"):
            # وأكد اليوم الاثنين وزير السياحة …: the subject after a time phrase
            m = k + 1
            while m < limit and (doc.norm[m] in lx.time or doc.norm[m] in lx.time_mod or doc.norm[m].isdigit()):
                m += 1
            if m < limit and doc.norm[m] not in _COMMAS and not _np_stop(doc, lx, m):
                np = _parse_np(doc, lx, m, limit)
                if np is not None and np.speaker is not None and not _not_speaker(doc, lx, np.speaker):
                    k = m
                    continue
        if (
            (n in lx.stops and _np_stop(doc, lx, k))
            or n in lx.time
            or n.startswith("بال")
            or n in lx.blockers
            or n.isdigit()
        ):
            k = _skip_pp(doc, lx, cand, k, limit)
            # وكان خامنئي قد قال في خطاب …، تخللته هتافات …: no subject after a framing phrase
            if (
                k < limit
                and doc.norm[k] in _COMMAS
                and cand.speaker is None
                and (
                    any(doc.norm[m] in _COMMAS for m in range(k + 1, limit))
                    or (k + 1 < limit and doc.norm[k + 1] not in _QUOTE_CHARS)
                )
            ):
                return
            continue
        if n in _QUOTE_CHARS:
            close = doc.pair_at.get(k, (None, 0))[0]
            if close is not None and cand.speaker is None:
                cand.speaker = (k + 1, close)  # a quoted subject: وقالت «الفيدرالية العالمية»:
                k = close + 1
                continue
            sp = cand.speaker
            if (
                close is not None
                and sp is not None
                and cand.role is None
                and sp[1] == k
                and _is_title(lx, doc.norm[sp[0]])
                and 1 <= close - k - 1 <= 4
                and not any(_is_punct(doc.norm[m]) or _np_stop(doc, lx, m) for m in range(k + 1, close))
            ):
                # كشف المدرب الروماني «أولاريو كوزمين» …: the quoted name of the role
                cand.role, cand.speaker = sp, (k + 1, close)
            break
        if cand.speaker is not None:
            break
        if n.startswith("ب") and len(n) > 3 and "ب" in lx.preps.get(lemma, frozenset()):
            break
        np = _parse_np(doc, lx, k, limit)
        if np is None or np.speaker is None or _not_speaker(doc, lx, np.speaker):
            break
        cand.speaker = np.speaker
        cand.role = np.role if np.name else None
        k = max(np.end, k + 1)


def _group_at(doc: _Doc, lx: _Lex, k: int, limit: int) -> tuple[int, int] | None:
    """``كل من A وB وC``: the coordinated names after the quantifier, as one source."""
    if k + 2 >= limit or _strip_conj(doc.norm[k])[0] != "كل" or doc.norm[k + 1] != "من":
        return None
    s = k + 2
    e = s
    while e < limit and e - s < 16 and doc.inside[e] < 0 and (not _np_stop(doc, lx, e) or _kunya(doc, e)):
        e += 1
    if e - s < 2 or not any(doc.norm[m].startswith("و") for m in range(s + 1, e)):
        return None  # a coordination has at least two members
    if e < len(doc.norm) and not (
        _is_punct(doc.norm[e])
        or doc.norm[e] in lx.compl
        or doc.norm[e] in lx.compl_pron
        or _cue_lookup(lx, doc.norm[e]) is not None
    ):
        return None  # كل من يحاول العبث …: "whoever", not a list of names
    return (s, e)


def _kunya(doc: _Doc, e: int) -> bool:
    """A name word after ابو/بن that looks like a function word (أبو علي, normalized ابو علي)."""
    return e > 0 and doc.norm[e - 1] in ("ابو", "أبو", "بن", "ابن", "عبد") and not _is_punct(doc.norm[e])


_GROUP_OPENERS = frozenset({"كل", "وكل", "فكل", "اما", "أما", "واما", "وأما", "فاما", "فأما"})


def _group_mentions(doc: _Doc, lx: _Lex) -> list[_Cand]:
    """Plural sources that later plural cues may refer back to (GUIDELINES §1.3).

    ``ويتفق معهم كل من A وB، الذين …`` and the topic of ``أما A وB، فـ…``:
    coordinated names that are the subject of a clause which is not itself a quote.
    """
    out: list[_Cand] = []
    for i, n in enumerate(doc.norm):
        if n not in _GROUP_OPENERS:
            continue
        base = _strip_conj(n)[0]
        if base == "كل":
            lim = min(doc.hard_end[i], doc.para_end[i])
            group = _group_at(doc, lx, i, lim)
        elif base in ("اما", "أما") and i + 2 < len(doc.norm):
            lim = min(doc.hard_end[i], doc.para_end[i])
            e = i + 1
            while e < lim and e - i <= 16 and doc.inside[e] < 0 and not _np_stop(doc, lx, e):
                e += 1
            ok = (
                e < lim
                and doc.norm[e] in ("،", ",")
                and e - i >= 3
                and any(doc.norm[m].startswith("و") for m in range(i + 2, e))
                and not _is_title(lx, doc.norm[i + 1])
            )
            group = (i + 1, e) if ok else None
        else:
            continue
        if group is None:
            continue
        m = _Cand(cue=i, cue_kind="mention", gender="p", cstart=i)
        m.speaker = group
        out.append(m)
    return out


def _addressee(doc: _Doc, lx: _Lex, cand: _Cand, k: int, limit: int) -> int:
    """``لـ X`` after a cue: the addressee. Returns the next index to look at."""
    n = doc.norm[k]
    start = k + 1 if n == "ل" else k
    strip = 0 if n == "ل" or n.startswith("لل") else 1
    if start < limit and doc.norm[start] in _QUOTE_CHARS:
        close = doc.pair_at.get(start, (None, 0))[0]
        if close is None:
            return start + 1
        span = (start + 1, close)
        strip = 0
        end = close + 1
        while end < limit and not _np_stop(doc, lx, end) and end - close <= 3 and cand.speaker is not None:
            end += 1
        if end > close + 1:
            span = (close + 1, end)  # لـ “الرفيق” باتروشيف: the name after the epithet
    else:
        end = start + 1
        # لرويترز مسؤول كبير، لموزاييك إف إم مسؤول: an ORG name is the whole addressee, a subject may follow
        if start in doc.org_after_l:
            end = min(max(doc.org_after_l[start], end), limit)
        elif doc.norm[start][1:] not in doc.orgs:
            while end < limit and not _np_stop(doc, lx, end) and end - start < 6:
                end += 1
        span = (start, end)
        if end == start + 1 < limit and doc.norm[end] in _QUOTE_CHARS and doc.norm[start][strip:] in lx.outlets:
            # لوكالة «رويترز»، لقناة "إيه بي سي": the outlet is the name in the marks
            close = doc.pair_at.get(end, (None, 0))[0]
            if close is not None and close < limit and 1 < close - end <= 5:
                span, strip, end = (end + 1, close), 0, close + 1
    if cand.addressee is None:
        cand.addressee = span
        cand.addressee_strip = strip
    return end


def _skip_pp(doc: _Doc, lx: _Lex, cand: _Cand, k: int, limit: int) -> int:
    """Skip a framing phrase (في مؤتمر صحفي …, يوم الثلاثاء); note a relaying medium in it."""
    start = k
    n = doc.norm[k]
    end = k + 1
    while end < limit and doc.norm[end] not in _COMMAS and doc.norm[end] not in (":",):
        if doc.norm[end] in _QUOTE_CHARS and end in doc.pair_at and doc.pair_at[end][0] is None:
            break
        end += 1
    if n == "في" and start + 1 < limit and _bare(doc.norm[start + 1]) in lx.statements:
        m = start + 2
        while m < end:
            w = doc.norm[m]
            if w == "ل" or (w.startswith("ل") and not w.startswith("لل") and len(w) > 3 and m > start + 2):
                s = m + 1 if w == "ل" else m
                if s < end and doc.norm[s] in _QUOTE_CHARS:
                    close = doc.pair_at.get(s, (None, 0))[0]
                    if close is not None and close < end:
                        cand.via = cand.via or (s + 1, close)
                        break
                e = s
                while e < end and not _np_stop(doc, lx, e):
                    e += 1
                head = doc.norm[s][1:] if doc.norm[s] != "ل" and doc.norm[s].startswith("ل") else doc.norm[s]
                if e > s and _in(lx.outlets, head):
                    cand.via = cand.via or (s, e)
                break
            if w.endswith("ها") and len(w) >= 5 and m + 1 < end:
                e = m + 1
                while e < end and not _np_stop(doc, lx, e):
                    e += 1
                if e > m + 1:
                    cand.via = cand.via or (m + 1, e)
                break
            m += 1
    return end


def _headline(doc: _Doc, lx: _Lex) -> list[_Cand]:
    """``X: …`` on the title line (GUIDELINES §1.1)."""
    if not doc.toks or doc.para[0] != 0:
        return []
    end = doc.para_end[0]
    if doc.norm[0] in _QUOTE_CHARS and 0 in doc.pair_at:
        close = doc.pair_at[0][0]
        if (
            close is not None
            and 2 <= close <= 6
            and close + 2 < end
            and doc.norm[close + 1] == ":"
            and not any(_is_punct(doc.norm[m]) or _cue_lookup(lx, doc.norm[m]) for m in range(1, close))
            and not any(doc.norm[m] in lx.headline_labels for m in range(1, close))
        ):
            # «اتحاد رجال الأعمال»: … : a quoted source before the headline's colon
            c = _Cand(cue=close + 1, cue_kind="headline", gender="", cstart=close + 2, lic="colon")
            c.anchor = close + 1
            c.speaker = (1, close)
            c.cend = end
            c.fixed_end = True
            c.direct = True
            return [c]
    for k in range(min(end, 7)):
        n = doc.norm[k]
        if n in _QUOTE_CHARS and doc.inside[k] < 0 and k > 0:
            return []
        if n != ":":
            continue
        if k == 0 or k + 1 >= end:
            return []
        # رياضي / مدرب إشبيلية : …: a section label and a slash before the source
        first = 0
        for m in range(1, k):
            if doc.norm[m] in ("/", "|", "-", "–") and all(doc.norm[t] in lx.headline_labels for t in range(m)):
                first = m + 1
        words = [m for m in range(first, k) if not _is_punct(doc.norm[m])]
        if not words or len(words) > 5:
            return []
        if any(doc.norm[m] in lx.headline_labels or _cue_lookup(lx, doc.norm[m]) for m in words):
            return []
        if any(doc.norm[m] in lx.stops or doc.norm[m].isdigit() for m in words):
            return []
        if len(words) == 1 and doc.norm[words[0]] in lx.locs:
            return []  # اليمن: …: a place kicker, not a source
        if doc.norm[words[0]].startswith(("بال", "لل", "كال")):
            return []  # بالأرقام: …، للمرة الأولى: …: a preposition's phrase frames the headline
        np = _parse_np(doc, lx, words[0], k)
        c = _Cand(cue=k, cue_kind="headline", gender="", cstart=k + 1, lic="colon")
        c.anchor = k
        if np is not None and np.speaker:
            c.speaker, c.role = np.speaker, (np.role if np.name else None)
        else:
            c.speaker = (words[0], words[-1] + 1)
        c.cend = end
        c.fixed_end = True
        c.direct = True
        return [c]
    return []


def _entity_words(entities: Sequence[Entity]) -> frozenset[str]:
    from newsan.normalize import normalize_word

    out: set[str] = set()
    for e in entities:
        for form in (e.canonical, *e.aliases):
            for w in normalize_word(form).split():
                out.add(w)
    return frozenset(out)


def _imperfect(lx: _Lex, kind: str, n: str) -> bool:
    """Whether a cue verb is in the imperfect (يطالبون, تؤكد): a stance or habit, not a speech event."""
    hit = _cue_lookup(lx, n)
    if kind != "verb" or hit is None:
        return False
    lemma, form = hit[1], hit[2]
    return form != lemma and (
        form[0] == "ي" or (form[0] == "ت" and (not lemma.startswith("ت") or form.startswith("تت")))
    )


def _note_mention(doc: _Doc, lx: _Lex, i: int, gender: str, seen: list[_Cand]) -> None:
    """Record the subject of a non-quoting speech verb as a possible antecedent."""
    j = i + 1
    lim = min(doc.hard_end[i], doc.para_end[i])
    while j < lim and doc.norm[j] in ("به", "بها", "عنه", "عنها", "فيه", "فيها", "له", "لها"):
        j += 1
    np = _parse_np(doc, lx, j, lim)
    if np is not None and np.name is not None:
        m = _Cand(cue=i, cue_kind="mention", gender=gender, cstart=i)
        m.speaker = np.name
        seen.append(m)


def _relay(doc: _Doc, lx: _Lex, cand: _Cand, j: int, relay_from: int, limit: int, participle: bool) -> None:
    """نقلت وكالة X عن Y …, ذكرت صحيفة X نقلا عن Y …: speaker Y, via X (GUIDELINES §1.3)."""
    src_start = relay_from + 1
    src_end = limit
    while src_end > src_start and (
        _is_punct(doc.norm[src_end - 1])
        or doc.norm[src_end - 1] in ("الى", "إلى", "على", "عن", "في", "قوله", "قولها", "قولهم", "بقوله", "بقولها")
    ):
        src_end -= 1  # نقلت X عن مصادر دبلوماسية قولها إن …: the speech noun is not the source
    comma = next((m for m in range(src_start, src_end) if doc.norm[m] in _COMMAS), src_end)
    if comma > src_start:
        head = doc.norm[src_start]
        np = _parse_np(doc, lx, src_start, comma)
        if _in(lx.sources, head) or np is None or np.speaker is None:
            cand.speaker = (src_start, comma)  # a descriptive source: أشخاص مطلعين على الخطة
        else:
            cand.speaker, cand.role = np.speaker, (np.role if np.name else None)
    outlet_end = relay_from - 1 if doc.norm[relay_from - 1] == "نقلا" else relay_from
    if not participle and outlet_end > j:
        m = j
        while m < outlet_end and (doc.norm[m] in lx.time or _is_punct(doc.norm[m])):
            m += 1
        e = m
        while e < outlet_end and doc.norm[e] not in lx.time and not _is_punct(doc.norm[e]):
            e += 1
        if e > m:
            cand.via = (m, e)


def _not_speaker(doc: _Doc, lx: _Lex, rng: tuple[int, int]) -> bool:
    """Whether a candidate speaker phrase is plainly not a source.

    A prepositional phrase (بنوعية العروض، لنصرة الأشقاء: بـ/لـ on a noun that governs a
    definite genitive) or a conjunction carrying a pronoun (لكنه، إنه), unless its first
    word is a known given name, a PERS mention, a place, a title or an organization noun.
    """
    s, e = rng
    if s >= e:
        return True
    n = doc.norm[s]
    if n in lx.pron_conj or _strip_conj(n)[0] in lx.pron_conj:
        return True
    return (
        len(n) > 3
        and n[0] in "بل"
        and not n.startswith(("لل", "بال"))
        and e - s >= 2
        and doc.norm[s + 1].startswith("ال")
        and n not in lx.given
        and n not in doc.pers
        and n not in lx.locs
        and not _is_title(lx, n)
        and not _is_honor(lx, n)
        and n not in lx.org
        and _bare(n) not in lx.org
    )


def _named_source(doc: _Doc, lx: _Lex, rng: tuple[int, int], entities: Sequence[Entity]) -> bool:
    """Whether a phrase is clearly a source: titled, an organization, outlet or source noun,
    a given name, a place or an entity of the article (not a plain definite noun phrase)."""
    s, e = rng
    ent = _entity_words(entities)
    for k in range(s, min(e, s + 3)):
        n = doc.norm[k]
        if (
            _is_source_word(lx, n)
            or _bare(n) in lx.statements
            or n in lx.given
            or n in doc.pers
            or n in lx.locs
            or n in ent
        ):
            return True
    return not doc.norm[s].startswith("ال")


def _plausible_source(doc: _Doc, lx: _Lex, rng: tuple[int, int], ent_words: frozenset[str]) -> bool:
    """Whether a speaker found before a weak license (a preposition, a bare object) looks like a source."""
    head = doc.norm[rng[0]]
    if _is_source_word(lx, head) or _in(ent_words, head):
        return True
    words = [doc.norm[k] for k in range(*rng)]
    if any(w in ("ذلك", "هذا", "هذه", "تلك", "هؤلاء", "مدى") for w in words):
        return False
    return len(words) <= 3
