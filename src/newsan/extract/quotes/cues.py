"""Is this token a cue? The memoized look-up of a token in the compiled cue
tables (with a leading و/ف), and the gender a cue verb marks.

Part of :mod:`newsan.extract.quotes` (see its docstring for the whole method).
"""

from __future__ import annotations

from newsan.extract.quotes.tables import _Lex

# --------------------------------------------------------------------------- #
# Cues


def _strip_conj(n: str) -> tuple[str, int]:
    """``n`` without a leading و/ف, and how many characters were removed."""
    if len(n) > 2 and n[0] in "وف":
        return n[1:], 1
    return n, 0


def _cue_lookup(lx: _Lex, n: str) -> tuple[str, str, str, int] | None:
    """(kind, lemma, form, clitic length) for a cue token, else None (memoized per
    lexicon: both passes of a document and every rule ask it of the same words)."""
    memo = lx.cue_memo
    if n in memo:
        return memo[n]
    if len(memo) > 200_000:  # bounded: a long corpus run meets every word of the language
        memo.clear()
    memo[n] = hit = _cue_lookup_uncached(lx, n)
    return hit


def _cue_with_object(lx: _Lex, n: str) -> tuple[str, str, str, int] | None:
    """:func:`_cue_lookup`, also for a verb that carries a resumptive object
    pronoun after ما (حسب ما نقلته، وفق ما أوضحه، كما ذكرها)."""
    hit = _cue_lookup(lx, n)
    if hit is None:
        for suf in ("ها", "ه"):
            if n.endswith(suf) and len(n) - len(suf) >= 3:
                hit = _cue_lookup(lx, n[: -len(suf)])
                if hit is not None:
                    break
    return hit


def _may_cue(lx: _Lex, n: str) -> bool:
    """Could the word ``n`` be a cue in any mode: a cue form of the tables, a
    proposed form, or a form that is a cue only with its shadda written
    (memoized like :func:`_cue_lookup`). A word for which this is false is never
    a cue, unless a relative pronoun stands before it (see ``_cue_candidate``)."""
    memo = lx.may_memo
    hit = memo.get(n)
    if hit is None:
        if len(memo) > 200_000:
            memo.clear()
        memo[n] = hit = (
            _cue_lookup(lx, n) is not None
            or n in lx.proposed
            or _strip_conj(n)[0] in lx.proposed
            or n in lx.shadda_only
            or n[1:] in lx.shadda_only
        )
    return hit


def _cue_lookup_uncached(lx: _Lex, n: str) -> tuple[str, str, str, int] | None:
    for form, k in ((n, 0), _strip_conj(n)):
        if form in lx.verb:
            return "verb", lx.verb[form], form, k
        if form in lx.part:
            return "part", lx.part[form], form, k
        if k == 0 and len(n) <= 2:
            break
    return None


def _gender(kind: str, lemma: str, form: str) -> str:
    """Gender/number of a cue form, read from its shape (GUIDELINES §1.3)."""
    if kind == "part":
        if form.endswith("ين"):
            return "p"
        return "f" if form.endswith("ه") else "m"
    if form.endswith(("وا", "ون", "ان")) or (form.endswith("ا") and form != lemma and not lemma.endswith("ا")):
        return "p"
    if form == lemma:
        return "m"
    if form.startswith("ي"):
        return "m"
    if form.startswith("ت") and (not lemma.startswith("ت") or form.startswith("تت")):
        return "f"
    if form.endswith("ت"):
        return "f"
    return ""
