"""From token ranges to :class:`~newsan.model.Quote` records: every span's
offsets are assembled here (:func:`_span`), from the one token table, so
that ``text[start:end] == span.text``; canonical names, kinds, evidence.

Part of :mod:`newsan.extract.quotes` (see its docstring for the whole method).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from newsan.extract.quotes.attribution import _attrib_clitic
from newsan.extract.quotes.candidates import _imperfect
from newsan.extract.quotes.cues import _cue_lookup, _strip_conj
from newsan.extract.quotes.document import _Cand, _Doc, _is_punct
from newsan.extract.quotes.phrases import _is_honor, _is_title, _nisba
from newsan.extract.quotes.tables import _COMMAS, _QUOTE_CHARS, _TERMINATORS, _bare, _Lex
from newsan.model import Entity, Quote, Span

# --------------------------------------------------------------------------- #
# Output


def _build(doc: _Doc, lx: _Lex, cands: list[_Cand], entities: Sequence[Entity]) -> list[Quote]:
    """Turn candidates into :class:`Quote` records with raw spans (GUIDELINES §1.3)."""
    raw = doc.seg.view.raw
    view = doc.seg.view
    names = _NameIndex(doc, lx, cands, entities)
    quotes: list[Quote] = []
    seen: set[tuple[int, int]] = set()
    for c in cands:
        cs, ce = c.cstart, c.cend
        if ce <= cs:
            continue
        # trim punctuation and dangling conjunctions at the end
        while ce > cs and (
            doc.norm[ce - 1] in _COMMAS
            or doc.norm[ce - 1] in _TERMINATORS
            or doc.norm[ce - 1] in (":", "(", "و", "ف", "؛")
            or (doc.norm[ce - 1] in _QUOTE_CHARS and ce - 1 not in doc.close_of)
        ):
            ce -= 1
        if ce <= cs:
            continue
        kind = "indirect"
        inner_s, inner_e = cs, ce
        opener = doc.norm[cs] in _QUOTE_CHARS and cs in doc.pair_at
        close = doc.pair_at[cs][0] if opener else None
        if opener and c.joined:
            kind = "direct"
            inner_s, inner_e = cs + 1, ce
        elif opener and (close is None or close >= ce - 1):
            kind = "direct"
            inner_s = cs + 1
            inner_e = min(ce, close) if close is not None else ce
        elif c.direct and not opener:
            kind = "direct"
        if kind != "direct" and _has_speech_quote(doc, lx, cs, ce):
            kind = "mixed"
        while inner_e > inner_s and doc.norm[inner_e - 1] in _QUOTE_CHARS and inner_e - 1 not in doc.close_of:
            inner_e -= 1
        if inner_e <= inner_s:
            continue
        vs = doc.toks[inner_s].vstart + (c.cstart_skip if inner_s == c.cstart else 0)
        ve = doc.toks[inner_e - 1].vend
        if ve <= vs:
            continue
        rs, re_ = view.to_raw(vs, ve)
        if (rs, re_) in seen:
            continue
        seen.add((rs, re_))
        content = Span(rs, re_, raw[rs:re_])
        cue_tok = doc.toks[c.cue]
        clitic = (
            c.clitic
            if c.cue_kind in ("verb", "part")
            else (_attrib_clitic(lx, doc.norm[c.cue]) if c.cue_kind == "attrib" else 0)
        )
        cr = view.to_raw(cue_tok.vstart + clitic, cue_tok.vend)
        cue = Span(cr[0], cr[1], raw[cr[0] : cr[1]])
        speaker = _span(doc, c.speaker, c.speaker_strip)
        canonical = names.canonical(c.speaker, c.speaker_strip) if speaker else None
        if speaker is not None and speaker.text.startswith("لل") and canonical == speaker.text:
            canonical = "ال" + speaker.text[2:]  # وفقا للبيان: the source is البيان
        addressee = _span(doc, c.addressee, c.addressee_strip)
        via = _span(doc, c.via, c.via_strip)
        quotes.append(
            Quote(
                kind=kind,
                cue=cue,
                content=content,
                speaker=speaker,
                speaker_canonical=canonical,
                role=_span(doc, c.role),
                addressee=addressee,
                addressee_canonical=(
                    "ال" + addressee.text[2:]
                    if addressee and addressee.text.startswith("لل")
                    else names.canonical(c.addressee, c.addressee_strip)
                    if addressee
                    else None
                ),
                via=via,
                via_canonical=via.text if via else None,
                sentence=doc.sent[c.cue],
                evidence=_evidence(c),
            )
        )
    _relays(doc, lx, quotes)
    quotes.sort(key=lambda q: (q.cue.start, q.content.start))
    return quotes


def _evidence(c: _Cand) -> tuple[str, ...]:
    """The rules' view of a candidate, kept as features for the learned decisions."""
    flags = [f"lic={c.lic or 'none'}", f"cue={c.cue_kind}"]
    for name in ("nested", "relative", "joined", "np_content", "fixed_end", "direct", "resumptive"):
        if getattr(c, name):
            flags.append(name)
    flags.extend(f"veto={v}" for v in c.vetoes)
    if c.source >= 0:
        flags.append("borrowed")
    if c.speaker is None:
        flags.append("no_speaker")
    elif c.role is not None:
        flags.append("has_role")
    if c.addressee is not None:
        flags.append("addressee")
    if c.via is not None:
        flags.append("via")
    return tuple(flags)


def _relays(doc: _Doc, lx: _Lex, quotes: list[Quote]) -> None:
    """``… كما نقلت «رويترز».`` after a quotation: the outlet is its via."""
    for i, n in enumerate(doc.norm):
        if i == 0 or doc.norm[i - 1] != "كما":
            continue
        hit = _cue_lookup(lx, n)
        if hit is None or hit[1] not in ("نقل", "ذكر", "أورد", "اورد"):
            continue
        j = i + 1
        if j < len(doc.norm) and doc.norm[j] in _QUOTE_CHARS:
            close = doc.pair_at.get(j, (None, 0))[0]
            span = (j + 1, close) if close is not None else None
        else:
            e = j
            while e < doc.para_end[i] and not _is_punct(doc.norm[e]) and e - j < 5:
                e += 1
            span = (j, e) if e > j else None
        if span is None:
            continue
        before = [k for k, q in enumerate(quotes) if q.cue.start < doc.toks[i].start]
        if not before:
            continue
        k = before[-1]
        q = quotes[k]
        if q.via is None:
            v = _span(doc, span)
            if v is not None:
                quotes[k] = dataclasses.replace(q, via=v, via_canonical=v.text, evidence=(*q.evidence, "via"))


def _span(doc: _Doc, rng: tuple[int, int] | None, strip: int = -1) -> Span | None:
    """Raw span of tokens ``rng``, trimmed of punctuation.

    ``strip`` characters are skipped at the start (a proclitic لـ of an
    addressee); with the default, a و/ف/ب/ل/ك is skipped only before the
    article (والرئيس -> الرئيس), so names that begin with those letters stay whole.
    """
    if rng is None or rng[1] <= rng[0]:
        return None
    s, e = rng
    while e > s and _is_punct(doc.norm[e - 1]):
        e -= 1
    while s < e and _is_punct(doc.norm[s]):
        s += 1
    if e <= s:
        return None
    vs = doc.toks[s].vstart
    first = doc.norm[s]
    if strip > 0 and len(first) > strip + 1:
        vs += strip
    elif (
        strip < 0 and len(first) > 3 and first[0] in "وفبك" and first[1:].startswith("ال") and _attested(doc, first[1:])
    ):
        vs += 1
    ve = doc.toks[e - 1].vend
    raw = doc.seg.view.raw
    rs, re_ = doc.seg.view.to_raw(vs, ve)
    return Span(rs, re_, raw[rs:re_])


# words that start like و/ف + the article but are whole (والد, والي) leave their remainder
# unattested; these remainders are attested everywhere and are never a name's start
_NOT_REMAINDERS = frozenset({"الي", "التي", "الذي", "الذين", "اللذين", "اللتين", "اللاتي", "الا", "الان"})


def _attested(doc: _Doc, rest: str) -> bool:
    """Whether ``rest`` (a token without its first letter) is a word of its own in
    the article, so that the letter was a proclitic (والرئيس -> الرئيس) and not part
    of the word (والد الضحية, والده, والي سوسة)."""
    if doc.words is None:
        doc.words = frozenset(doc.norm)
    return rest in doc.words and rest not in _NOT_REMAINDERS


def _has_speech_quote(doc: _Doc, lx: _Lex, cs: int, ce: int) -> bool:
    """Whether a closed pair of marks inside the content quotes words rather than a name.

    Quoted names (شركة "سابك", برنامج "الماتينال") do not make a quotation
    mixed (GUIDELINES §1.2): a fragment counts when it is not preceded by an
    organization, outlet or title noun and is not a name that the article also
    writes without marks.
    """
    outside = _unquoted_words(doc)
    for k in range(cs, ce):
        if doc.norm[k] not in _QUOTE_CHARS or k not in doc.pair_at:
            continue
        close = doc.pair_at[k][0]
        if close is None:
            continue
        words = [doc.norm[m] for m in range(k + 1, close) if not _is_punct(doc.norm[m])]
        if not words:
            continue
        if _formula_or_term(lx, words):
            continue  # «حفظه الله», "سيناريو", «18 إلى 20»: not the speaker's wording
        prev = doc.norm[k - 1] if k > 0 else ""
        pb = _bare(prev[1:] if prev[:1] in "وبل" and len(prev) > 3 else prev)
        if len(words) <= 3 and prev.startswith("ال") and all(w.startswith(("ال", "لل")) for w in words):
            continue  # الجهة المختصة "الأحوال المدنية": a definite name in apposition
        if prev in lx.org or pb in lx.org or pb in lx.outlets or prev in lx.outlets or _is_title(lx, prev):
            continue
        if pb in lx.name_heads or prev in lx.name_heads:
            continue  # عملية «السهم الذهبي»: a quoted name
        if (
            2 <= len(words) <= 3
            and not any(w.startswith("ال") or _cue_lookup(lx, w) for w in words)
            and _bare(words[-1]) in outside
            and len(words[-1]) >= 4
        ):
            continue  # «لورينتينو ريجيكامب» … ريجيكامب: a full name whose surname the article repeats
        if prev == "و" or (prev.startswith("ل") and len(prev) <= 2):
            continue
        if len(words) <= 3 and (all(_bare(w) in outside for w in words) or _quoted_twice(doc, words)):
            continue
        return True
    return False


_NUMBER_LINKS = frozenset({"الى", "الي", "إلى", "و", "او", "أو", "من", "-", "%", "بالمئه", "بالمائه"})


def _formula_or_term(lx: _Lex, words: list[str]) -> bool:
    """Quoted words that are not a speaker's wording (GUIDELINES §1.2).

    A religious formula or honorific («صلى الله عليه وسلم», «حفظه الله»), a
    single quoted epithet ("البرازيلي") or a number range («18 إلى 20»).
    """
    if not words:
        return False
    if " ".join(words) in lx.formulas_quoted:
        return True
    if len(words) == 1 and words[0].startswith("ال") and _nisba(words[0][2:]):
        # مهاجم برشلونة "البرازيلي": a relative-adjective epithet (a quoted «استسلام» or
        # دولة "الشجاعة" may be the speaker's own word)
        return True
    return any(w[:1].isdigit() for w in words) and all(w[:1].isdigit() or w in _NUMBER_LINKS for w in words)


class _NameIndex:
    """Fullest forms of the sources of an article (GUIDELINES §1.3 speaker_canonical).

    A speaker's canonical form is the longest mention, among the article's
    entities (canonical names and aliases) and the other quotes' speakers,
    whose words include all of the speaker's words (وانغ -> وانغ يي). A role
    without a name (الوزير الإسرائيلي) takes the name that the same role was
    given elsewhere in the article (وزير الطاقة الإسرائيلي يوفال شتاينتز).
    """

    def __init__(self, doc: _Doc, lx: _Lex, cands: list[_Cand], entities: Sequence[Entity]) -> None:
        from newsan.normalize import normalize_word

        self.doc = doc
        self.lx = lx
        self.forms: list[tuple[frozenset[str], int, str]] = []
        for e in entities:
            if e.label not in ("PERS", "ORG"):
                continue
            for form in (e.canonical, *e.aliases):
                words = normalize_word(form).split()
                key = self._key(words)
                if key:
                    self.forms.append((key, len(words), e.canonical))
        self.roles: list[tuple[frozenset[str], str]] = []
        for c in cands:
            if c.speaker is None or c.source >= 0:
                continue
            sp = _span(doc, c.speaker)
            if sp is None or self._is_role_only(c.speaker):
                continue
            words = [doc.norm[k] for k in range(*c.speaker) if not _is_punct(doc.norm[k])]
            key = self._key(words)
            if key:
                self.forms.append((key, len(words), sp.text))
            if c.role is not None:
                rkey = self._key([doc.norm[k] for k in range(*c.role)])
                if rkey:
                    self.roles.append((rkey, sp.text))
        # word -> the forms holding it: a key's fullest form is looked for among the
        # forms of its rarest word, not among all (a long article has thousands)
        self._word_forms: dict[str, list[int]] = {}
        self._fullest_of: dict[frozenset[str], str | None] = {}
        for k, (fkey, _, _) in enumerate(self.forms):
            for w in fkey:
                self._word_forms.setdefault(w, []).append(k)

    def _is_role_only(self, rng: tuple[int, int]) -> bool:
        n = self.doc.norm[rng[0]]
        return _is_title(self.lx, n) or _is_honor(self.lx, n)

    def _key(self, words: Sequence[str]) -> frozenset[str]:
        out = set()
        for w in words:
            if not w or _is_punct(w):
                continue
            if w[:1] in "وبل" and w[1:3] == "ال" and len(w) > 4:
                w = w[1:]
            out.add(_bare(w))
        return frozenset(out)

    def canonical(self, rng: tuple[int, int] | None, strip: int = -1) -> str | None:
        from newsan.normalize import normalize_word

        sp = _span(self.doc, rng, strip)
        if sp is None or rng is None:
            return None
        key = self._key(normalize_word(sp.text).split())
        if not key:
            return sp.text
        if self._is_role_only(rng):
            for rkey, name in reversed(self.roles):
                if key <= rkey:
                    return self._fullest(self._key(normalize_word(name).split()), name)
            return sp.text
        return self._fullest(key, sp.text)

    def _fullest(self, key: frozenset[str], default: str) -> str:
        if key not in self._fullest_of:
            best: str | None = None
            best_len = len(key)
            # only the forms that contain the key's rarest word can contain the key
            pools = [self._word_forms.get(w, []) for w in key]
            for k in min(pools, key=len) if pools else range(len(self.forms)):
                fkey, length, text = self.forms[k]
                if length > best_len and key <= fkey:
                    best, best_len = text, length
            self._fullest_of[key] = best
        return self._fullest_of[key] or default


def _in_compl_clause(doc: _Doc, lx: _Lex, i: int) -> bool:
    """Whether cue ``i`` is the verb of a reported أن-clause (… إلا أن العرب يطالبون …)."""
    for m in range(i - 1, max(i - 5, -1), -1):
        n = doc.norm[m]
        if _is_punct(n):
            return False
        if n in lx.compl or n in lx.compl_pron:
            return True
    return False


def _descriptive_cue(doc: _Doc, lx: _Lex, c: _Cand, cands: list[_Cand]) -> bool:
    """An adjectival imperfect cue inside another quote's clause (تصريح … يفيد بأن …)."""
    i = c.cue
    pw = _strip_conj(doc.norm[i - 1])[0] if i > 0 else ""
    # ورسالة تفيد بأنه …: an indefinite common noun right before the verb is what it describes
    indefinite = (
        c.speaker is not None
        and c.speaker[1] == i
        and not pw.startswith("ال")
        and pw not in lx.given
        and pw not in doc.pers
        and not _is_title(lx, pw)
        and not _is_punct(pw)
    )
    if (
        c.cue_kind != "verb"
        or c.clitic
        or (c.speaker is not None and not indefinite)
        or c.lic != "compl"
        or c.cstart - i > 2
        or i == 0
        or doc.sent_start[i] == i
        or not _imperfect(lx, c.cue_kind, doc.norm[i])
    ):
        return False
    prev = doc.norm[i - 1]
    if (
        prev in _COMMAS
        or prev in _TERMINATORS
        or prev == ":"
        or prev in lx.subordinators
        or prev in lx.aux
        or prev in lx.pron_conj  # غير أنه يشدد على أنه …: a pronoun subject, resolved later
        or prev in lx.compl
        or prev in lx.compl_pron
    ):
        return False
    return any(
        d is not c
        and d.cue_kind not in ("mention", "headline")
        and d.cue < i
        and d.cstart <= i
        and doc.para[d.cstart] == doc.para[i]
        and doc.hard_end[d.cstart] > i
        for d in cands
    )


def _mark_nested(doc: _Doc, cands: list[_Cand]) -> None:
    """Flag cues that sit inside another quote's clause (أن المدرب جيرتيس أخبره أنه …)."""
    for c in cands:
        if c.cue_kind != "verb":
            continue
        a = c.anchor if c.anchor >= 0 else c.cue
        if doc.norm[c.cue][:1] in "وف" and _strip_conj(doc.norm[c.cue])[1]:
            continue
        if a == 0 or doc.para[a - 1] != doc.para[a]:
            continue
        prev = doc.norm[a - 1]
        # و قال …: a conjunction written apart opens a new clause, as وقال does
        if _is_punct(prev) or doc.sent_start[a] == a or prev in ("و", "ف"):
            continue
        if any(d is not c and d.cue_kind != "mention" and d.cstart <= a and d.cue < c.cue for d in cands):
            c.nested = True


def _quoted_twice(doc: _Doc, words: list[str]) -> bool:
    """Whether the article quotes the same short fragment more than once (a name: "أرامكو")."""
    n = 0
    for k, close in ((k, v[0]) for k, v in doc.pair_at.items()):
        if close is None:
            continue
        if [doc.norm[m] for m in range(k + 1, close) if not _is_punct(doc.norm[m])] == words:
            n += 1
    return n > 1


def _unquoted_words(doc: _Doc) -> frozenset[str]:
    """Words the article writes outside quotation marks (cached on the document)."""
    if doc.unquoted is None:
        doc.unquoted = frozenset(
            _bare(n)
            for k, n in enumerate(doc.norm)
            if doc.inside[k] < 0 and k not in doc.pair_at and k not in doc.close_of
        )
    return doc.unquoted
