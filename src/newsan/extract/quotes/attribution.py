"""Attribution phrases (بحسب، حسب، وفقا لـ، نقلا عن): the source follows,
the content precedes (or follows a fronted phrase).

Part of :mod:`newsan.extract.quotes` (see its docstring for the whole method).
"""

from __future__ import annotations

from collections.abc import Sequence

from newsan.extract.quotes.candidates import _entity_words, _speaker_right
from newsan.extract.quotes.cues import _cue_lookup, _cue_with_object, _strip_conj
from newsan.extract.quotes.document import _Cand, _Doc, _is_punct
from newsan.extract.quotes.phrases import _RELATIVES_CONJ, _UNMARKED_OPENERS, _is_compl, _is_title, _nisba
from newsan.extract.quotes.subjects import _pers_at
from newsan.extract.quotes.tables import _COMMAS, _QUOTE_CHARS, _RESUMPTIVES, _bare, _in, _Lex
from newsan.model import Entity

# --------------------------------------------------------------------------- #
# Attribution phrases (بحسب، حسب، وفقا لـ، نقلا عن)


def _attributions(doc: _Doc, lx: _Lex, cands: list[_Cand], entities: Sequence[Entity]) -> list[_Cand]:
    """Attribution phrases: the clause before بحسب/حسب/وفقا لـ X is X's (GUIDELINES §1.1)."""
    out: list[_Cand] = []
    used = {c.cue for c in cands}
    ent_words = _entity_words(entities)
    real = [c for c in cands if c.cue_kind != "mention"]
    for i, n in enumerate(doc.norm):
        if n not in lx.attrib or doc.inside[i] >= 0 or i in used:
            continue
        base = _strip_conj(n)[0]
        if n in ("وفق", "ووفق", "فوفق"):  # (وفق itself begins with و)
            wc = _according_to(doc, lx, i, used)
            if wc is not None:
                out.append(wc)
            continue
        j = i + 1
        limit = min(doc.hard_end[i], doc.para_end[i], i + 12)
        if base in ("وفقا", "طبقا", "نقلا"):
            if j < limit and doc.norm[j] in ("ل", "لما", "عن"):
                j += 1
            elif not (j < limit and doc.norm[j].startswith("ل") and len(doc.norm[j]) > 2):
                continue
        if base == "نقلا" and any(c.cue < i < c.cstart for c in real):
            continue  # part of a relay (ذكرت صحيفة X نقلا عن Y أن …)
        skipped = False
        rel_verb = False  # the source is a relative verb's subject: no لـ of its own (بحسب ما كشفت لوموند)
        while j < limit:
            if j > i + 1 and doc.norm[j - 1] in ("ما", "لما") and _cue_with_object(lx, doc.norm[j]) is not None:
                rel_verb = True  # حسب ما أعلن المصدر, حسب ما كتب في اللافتات: the relative's verb is not the source
            elif not (
                (rel_verb and doc.norm[j] in _RESUMPTIVES and doc.norm[j - 1] not in ("ما", "لما"))
                or _in(lx.speech_nouns, doc.norm[j])
                or (skipped and doc.norm[j] in ("في", "على") and j > i + 1 and _cue_lookup(lx, doc.norm[j - 1]))
            ):
                break
            j += 1
            skipped = True
        while rel_verb and j < limit and (doc.norm[j] in _COMMAS or doc.norm[j] in lx.time or doc.norm[j].isdigit()):
            j += 1  # حسب ما أكده، اليوم الخميس، أحد المنسقين: a time phrase between commas before the source
        src_start = j
        for m in range(j, limit):
            if doc.norm[m] == "عن":
                src_start = m + 1  # تقرير صادر الشهر الماضي عن فوربس
                skipped = True
                break
            if doc.norm[m] in _COMMAS:
                break
        src_end = -1  # the source's end when it differs from where the search goes on
        if rel_verb and src_start < limit and doc.norm[src_start][:1] == "ل" and len(doc.norm[src_start]) > 3:
            # بحسب ما أكده لمراسلة الجوهرة أف أم، خميس قسيلة: the listener, then the source
            comma = next((m for m in range(src_start + 1, min(limit, src_start + 7)) if doc.norm[m] in _COMMAS), -1)
            if comma > 0 and comma + 1 < limit and _pers_at(doc, comma + 1) is not None:
                src_start = comma + 1
        h0 = doc.norm[src_start] if src_start < limit else ""
        if src_start + 1 < limit and doc.norm[src_start + 1] in _QUOTE_CHARS and (
            h0 in lx.outlets or (h0[:1] == "ل" and h0[:2] != "لل" and h0[1:] in lx.outlets)
        ):
            src_start += 1  # وحسب موقع "يو بي أي" فإن …، وفقا لصحيفة «الغارديان»: the outlet's quoted name
            skipped = True
        qclose = doc.pair_at.get(src_start, (None, 0))[0] if src_start < limit else None
        if (
            skipped
            and src_start < limit
            and doc.norm[src_start] in _QUOTE_CHARS
            and qclose is not None
            and 1 <= qclose - src_start - 1 <= 4
            and qclose < min(doc.hard_end[i], doc.para_end[i])
        ):
            # وبحسب إحصائية "يونامي" فإن …: the quoted source after a speech noun
            src_start, src_end, e = src_start + 1, qclose, qclose + 1
            while e < limit and e - qclose <= 2 and doc.norm[e].startswith("ال") and _nisba(doc.norm[e][2:]):
                e += 1  # وحسب موقع "كوارتز" الأميركي فإن …: its adjectives close the phrase
        else:
            e = src_start
            # (ووفقا لبيان الجيش فإن …: the complementizer ends the source)
            while (
                e < limit
                and not _is_punct(doc.norm[e])
                and doc.norm[e] not in lx.stops
                and doc.norm[e] not in _UNMARKED_OPENERS  # بحسب وكالة دوغان التركية | تم نشر …
                and doc.norm[e] not in _RELATIVES_CONJ  # بحسب محمد الزهراني | الذي أوضح …
                and e - src_start < 6
                and not (e > src_start and _is_compl(doc, lx, e))
            ):
                e += 1
            name = _pers_at(doc, e + 1) if e > src_start and e + 1 < limit and doc.norm[e] in _COMMAS else None
            if name is not None and _is_title(lx, doc.norm[src_start]):
                # حسب ما أعلنت عنه الأمينة العامة المتخلية، مية الجريبي: the name in apposition
                ne = e + 1 + len(name)
                if ne >= limit or _is_punct(doc.norm[ne]):
                    src_start, src_end, e = e + 1, ne, ne
        if e <= src_start:
            continue
        head = doc.norm[src_start]
        hb = _bare("ال" + head[2:]) if head.startswith("لل") else _bare(head.removeprefix("ل"))  # للبيان -> بيان
        # the لـ of وفقا لـ / طبقا لـ, or of a speech noun's genitive (حسب تصريح لوزير …), is no part
        # of the source; بحسب and a relative's verb take the source as it is (بحسب ما كشفت لوموند)
        strip_l = (
            head.startswith("ل")
            and not head.startswith("لل")
            and len(head) > 3
            and not rel_verb
            and (skipped or n.endswith(("وفقا", "طبقا")))
        )
        plausible = (
            skipped
            or head in lx.sources
            or hb in lx.sources
            or head in lx.outlets
            or hb in lx.outlets
            or _is_title(lx, head)
            or head in ent_words
        )
        if not plausible:
            continue
        # the enclosing quote: its content contains the phrase or ends just before it
        encl = None
        for c in real:
            if (
                c.cstart <= i < c.cend
                or c.cstart < i
                and 0 <= i - c.cend <= 2
                and all(_is_punct(doc.norm[m]) for m in range(c.cend, i))
                # … جريحًا.\nوبحسب إحصائية X فإن …: a new sentence opens with the phrase
                and not any(doc.norm[m] in (".", "؟", "?", "!") for m in range(c.cend, i))
                and doc.para[max(c.cend - 1, 0)] == doc.para[i]
            ):
                encl = c
        if encl is not None:
            if encl.speaker and _overlap(doc, encl.speaker, (src_start, e)):
                continue  # بحسب نص البيان after a quote of that statement: the same source
            if encl.speaker and (hb in lx.outlets or head in lx.outlets):
                # «…» وفقا لوكالة رويترز: the outlet relayed the quote, it is its via
                if encl.via is None:
                    encl.via = (src_start, e)
                    encl.via_strip = 1 if strip_l else -1
                continue
            cstart = encl.cstart
            for m in range(i - 1, encl.cstart + 1, -1):
                if doc.norm[m] in lx.compl or doc.norm[m] in lx.compl_pron:
                    cstart = m + 1 if doc.norm[m] in lx.compl else m  # the innermost reported clause
                    break
        else:
            cstart = -1
            s = doc.sent_start[i]
            if s > 0 and doc.norm[s - 1] == "؛" and all(_is_punct(doc.norm[m]) for m in range(s, i)):
                s = doc.sent_start[s - 1]  # X …؛ حسب ما أعلن المصدر: the clause before the semicolon
            for m in range(i - 1, s - 1, -1):
                if doc.norm[m] in lx.compl or doc.norm[m] in lx.compl_pron:
                    cstart = m + 1 if doc.norm[m] in lx.compl else m
                    break
            if cstart < 0:
                cstart = s
        cend = i
        skip = 0
        s0 = doc.sent_start[i]
        if (
            encl is None
            and not (s0 > 0 and doc.norm[s0 - 1] == "؛")
            and all(doc.norm[m] in ("و", "ف") or _is_punct(doc.norm[m]) for m in range(s0, i))
        ):
            # وبحسب مصادر مطلعة، فإن الاجتماع …: the phrase opens the sentence, the content follows
            stop = min(doc.hard_end[i], doc.para_end[i])
            m = e
            while m < stop and doc.norm[m] in _COMMAS:
                m += 1
            w0 = _strip_conj(doc.norm[m])[0] if m < stop else ""
            if m >= stop or (m == e and not (doc.norm[m][:1] == "ف" and (w0 in lx.compl or w0 in lx.compl_pron))):
                continue  # (وبحسب إحصائية "يونامي" فإن …: فإن right after the source also opens it)
            # وحسب مصادر مطلعة، تحدثت لـ«الشرق الأوسط»، فإن …: the complementizer after an aside
            for x in range(m, min(stop, m + 10)):
                wx = _strip_conj(doc.norm[x])[0]
                if wx in lx.compl or wx in lx.compl_pron:
                    if x > m and doc.norm[x - 1] in _COMMAS:
                        m = x
                    break
            w, k = _strip_conj(doc.norm[m])
            if w in lx.compl:
                m += 1
            elif w in lx.compl_pron:
                skip = k
            cstart, cend = m, min(doc.hard_end[i], doc.para_end[i])
        while cend > cstart and _is_punct(doc.norm[cend - 1]) and doc.norm[cend - 1] not in _QUOTE_CHARS:
            cend -= 1
        if cend - cstart < 3:
            continue
        c = _Cand(cue=i, cue_kind="attrib", gender="", cstart=cstart, cend=cend, lic="attrib", cstart_skip=skip)
        c.anchor = i
        c.speaker = (src_start, src_end if src_end > 0 else e)
        if strip_l:
            c.speaker_strip = 1  # وفقا لوكالة رويترز: the source is وكالة رويترز
        c.fixed_end = True
        out.append(c)
    # وفقا لمجلة واجبات الطبيب … ، وفق ما أوضحه X: an attribution phrase inside the clause that a
    # sentence-final «وفق ما» attributes is part of X's words
    finals = [c for c in out if c.cue != c.anchor]  # (their cue is the verb after وفق ما)
    return [
        c
        for c in out
        if c.cue != c.anchor or not any(f.cstart <= c.anchor < f.cend and c.cstart >= f.cstart for f in finals)
    ]


def _according_to(doc: _Doc, lx: _Lex, i: int, used: set[int]) -> _Cand | None:
    """… ، وفق ما أفاد به / أوضحه / صرح به X: the clause before is X's (sentence-final attribution).

    The cue is the relative's speech verb; the content is the preceding clause from
    the sentence start (GUIDELINES §1.1); the source after the verb is parsed as a
    speaker (role, then name).
    """
    stop = min(doc.hard_end[i], doc.para_end[i])
    j = i + 1
    if j + 2 >= stop or doc.norm[j] not in ("ما", "لما") or doc.inside[i] >= 0:
        return None
    v = j + 1
    hit = _cue_with_object(lx, doc.norm[v])  # (أوضحه: the resumptive object pronoun)
    if hit is None or hit[0] != "verb" or hit[1] in lx.stance:
        return None
    k = v + 1
    if k < stop and doc.norm[k] in _RESUMPTIVES:
        k += 1
    # أوضحه، اليوم الأربعاء، رئيس …: a time phrase between commas before the source
    while k < stop and (doc.norm[k] in _COMMAS or doc.norm[k] in lx.time):
        k += 1
    s = doc.sent_start[i]
    cend = i
    while cend > s and _is_punct(doc.norm[cend - 1]) and doc.norm[cend - 1] not in _QUOTE_CHARS:
        cend -= 1
    if cend - s < 3:
        return None
    c = _Cand(cue=v, cue_kind="attrib", gender="", cstart=s, cend=cend, lic="attrib")
    c.anchor = i
    c.fixed_end = True
    _speaker_right(doc, lx, c, k, stop, hit[1])
    if c.speaker is None or c.speaker[0] >= stop:
        return None
    return c


def _attrib_clitic(lx: _Lex, n: str) -> int:
    """Length of the و/ف on an attribution phrase (ووفقا -> 1, وفقا -> 0, وبحسب -> 1)."""
    base, k = _strip_conj(n)
    return k if k and (base in lx.attrib or base in ("حسب", "بحسب", "وفقا", "طبقا", "نقلا", "حسبما")) else 0


def _overlap(doc: _Doc, a: tuple[int, int], b: tuple[int, int]) -> bool:
    wa = {_bare(doc.norm[k]) for k in range(*a) if len(doc.norm[k]) >= 3}
    wb = {_bare(doc.norm[k]) for k in range(*b) if len(doc.norm[k]) >= 3}
    return bool(wa & wb)
