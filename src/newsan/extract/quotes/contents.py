"""Where each content ends: the sentence end, the closing mark, the next
cue's clause or the narrator's words after a comma.

Part of :mod:`newsan.extract.quotes` (see its docstring for the whole method).
"""

from __future__ import annotations

from newsan.extract.quotes.cues import _cue_lookup, _strip_conj
from newsan.extract.quotes.document import _Cand, _Doc, _is_punct
from newsan.extract.quotes.tables import _COMMAS, _QUOTE_CHARS, _Lex

# --------------------------------------------------------------------------- #
# Content boundaries


def _set_ends(doc: _Doc, lx: _Lex, cands: list[_Cand]) -> None:
    """Where each content ends (GUIDELINES §1.3)."""
    ntok = len(doc.toks)
    for idx, c in enumerate(cands):
        if c.fixed_end or c.cue_kind == "mention":
            continue
        cs = c.cstart
        nxt = _next_anchor(doc, cands, idx, cs)
        # إنه «…»: a pronoun complementizer right before a full quotation is direct
        if doc.norm[cs] in lx.compl_pron and cs + 1 < ntok and cs + 1 in doc.pair_at:
            close = doc.pair_at[cs + 1][0]
            if close is not None and _boundary_after(doc, lx, close, nxt):
                c.cstart = cs = cs + 1
                c.cstart_skip = 0
        if cs in doc.pair_at and doc.norm[cs] in _QUOTE_CHARS:
            close = doc.pair_at[cs][0]
            if close is not None and (
                _boundary_after(doc, lx, close, nxt) or _narrator_after(doc, lx, c, cs, close, nxt)
            ):
                c.direct = True
                c.cend = nxt if nxt is not None and nxt < close else close
                close2 = _joined_quote(doc, lx, close, nxt)
                if close2 is not None and c.cend == close:
                    c.cend = close2  # "…"؛ ولكن "…": one quotation from the first to the last quoted word
                    c.joined = True
                continue
            if close is None:
                c.direct = True
        limit = min(doc.hard_end[cs], doc.para_end[c.cue])
        if doc.inside[c.cue] >= 0:
            close = doc.pair_at.get(doc.inside[c.cue], (None, 0))[0]
            if close is not None:
                limit = min(limit, close)
        if c.lic == "colon" and doc.norm[cs] not in _QUOTE_CHARS:
            c.direct = True
        if nxt is not None:
            limit = min(limit, nxt)
        depth = 0
        k = cs
        while k < limit:
            w = doc.norm[k]
            if doc.inside[k] >= 0 and k > cs and doc.inside[k] >= cs:
                k += 1
                continue
            if w == "(":
                close_p = next((m for m in range(k + 1, limit) if doc.norm[m] == ")"), -1)
                if depth == 0 and k > cs and (close_p < 0 or close_p - k > 6):
                    limit = k  # a long aside in brackets is the narrator's
                    break
                depth += 1
            elif w == ")":
                if depth == 0 and k > cs:
                    limit = k
                    break
                depth = max(depth - 1, 0)
            if w in _COMMAS and k + 1 < limit:
                nw = doc.norm[k + 1]
                if _resumes(doc, lx, k + 1) or nw in lx.attrib:
                    limit = k
                    break
                if (c.np_content or c.nested) and k > cs and nw not in _CONSEQUENCE:
                    limit = k  # (… نظاماً، مما يعرض …: a consequence clause goes on with the content)
                    break
            if (
                c.np_content
                and k > cs + 1
                and _strip_conj(w)[1]
                and (hit := _cue_lookup(lx, w)) is not None
                and hit[0] == "verb"
            ):
                limit = k  # أنكر X ارتكابهما أي مخالفات ويتوقع …: a coordinated cue verb opens a new clause
                break
            if c.np_content and k > cs + 1 and (w in lx.time or _strip_conj(w)[0] in lx.time):
                limit = k
                break
            k += 1
        c.cend = limit


def _resumes(doc: _Doc, lx: _Lex, k: int) -> bool:
    """Whether a narrator-resuming phrase (، دون الخوض …، في حين …، على حد قوله)
    starts at token ``k``, with or without و/ف; a phrase's first word alone
    (في، على) is not one."""
    n = doc.norm[k]
    tails = lx.resume.get(n) or lx.resume.get(_strip_conj(n)[0])
    if not tails:
        return False
    return any(tuple(doc.norm[k + 1 : k + 1 + len(t)]) == t for t in tails)


_CONSEQUENCE = frozenset({"مما", "ومما"})


def _next_anchor(doc: _Doc, cands: list[_Cand], idx: int, cs: int) -> int | None:
    """Start of the next quote's framing clause after content start ``cs``."""
    para = doc.para[cands[idx].cue]
    for q in cands[idx + 1 :]:
        if doc.para[q.cue] != para:
            return None
        if q.cue_kind == "mention" or q.nested or q.relative:
            continue
        a = q.anchor if q.anchor >= 0 else q.cue
        if a > cs:
            return a
    return None


def _boundary_after(doc: _Doc, lx: _Lex, close: int, nxt: int | None) -> bool:
    """Whether the narrator (or the end of the clause) follows a closing mark."""
    m = close + 1
    if m >= doc.para_end[close] or m >= len(doc.norm):
        return True
    if nxt is not None and m >= nxt:
        return True
    n = doc.norm[m]
    if n in _COMMAS and m + 1 < doc.para_end[close] and (nxt is None or m + 1 < nxt):
        # «…»، بل إن …: the speaker's own paraphrase goes on after the quoted words (mixed)
        w = doc.norm[m + 1]
        if _strip_conj(w)[0] in _CONTINUATIONS or (
            w in ("بل", "وبل") and m + 2 < len(doc.norm) and doc.norm[m + 2] in lx.compl | lx.compl_pron
        ):
            return False
    if _is_punct(n) or _resumes(doc, lx, m) or n in lx.attrib:
        return True
    return _cue_lookup(lx, n) is not None


def _narrator_after(doc: _Doc, lx: _Lex, c: _Cand, cs: int, close: int, nxt: int | None) -> bool:
    """أن "الحوادث تتضاءل … منذ وصول تعزيزات" تتألف من 120 شرطيا: a whole quoted clause
    right after the complementizer, then the narrator elaborates on its last word
    (a verb with no conjunction): the quotation is direct, the rest is not quoted."""
    if c.lic != "compl" or close + 1 >= doc.para_end[close] or (nxt is not None and close + 1 >= nxt):
        return False
    words = sum(1 for m in range(cs + 1, close) if not _is_punct(doc.norm[m]))
    if words < 5:
        return False
    n = doc.norm[close + 1]
    if _is_punct(n) or n[:1] in "وف" or n.startswith("ال") or n in lx.compl or n in lx.compl_pron:
        return False
    # an imperfect verb (تتألف، يتكون) opens the elaboration
    return n[:1] in "يت" and len(n) >= 4 and _cue_lookup(lx, n) is None


def _joined_quote(doc: _Doc, lx: _Lex, close: int, nxt: int | None) -> int | None:
    """``"X"؛ ولكن "Y"``: the closing mark of a second quoted piece that the narrator joins to
    the first with a bare contrastive conjunction (no new cue), else None."""
    m = close + 1
    end = doc.para_end[close]
    if nxt is not None:
        end = min(end, nxt)
    if m + 2 >= end or doc.norm[m] not in ("؛", "،", ","):
        return None
    if doc.norm[m + 1] not in ("لكن", "ولكن", "بل", "وبل"):
        return None
    op = m + 2
    if doc.norm[op] not in _QUOTE_CHARS or op not in doc.pair_at:
        return None
    close2 = doc.pair_at[op][0]
    if close2 is None or close2 >= end or not _boundary_after(doc, lx, close2, nxt):
        return None
    return close2


#: connectors after a closing mark that continue the reported clause (، بل إن …، إلا أن …)
_CONTINUATIONS = frozenset({"بل", "الا", "إلا", "لكن", "ولكن", "لكنه", "لكنها", "غير"})
