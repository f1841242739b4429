"""What licenses a cue (GUIDELINES §1.1): a complementizer, a colon, an opening
mark, a governed preposition or a noun-phrase object after it.

Part of :mod:`newsan.extract.quotes` (see its docstring for the whole method).
"""

from __future__ import annotations

from newsan.extract.quotes.cues import _cue_lookup, _strip_conj
from newsan.extract.quotes.document import _Doc, _is_punct
from newsan.extract.quotes.phrases import _RELATIVES_CONJ, _ali, _is_honor, _is_title, _np_stop, _parse_np
from newsan.extract.quotes.tables import _COMMAS, _QUOTE_CHARS, _bare, _in, _Lex

# --------------------------------------------------------------------------- #
# Licensing


def _framing_pp(doc: _Doc, lx: _Lex, s: int, e: int) -> bool:
    """Whether tokens ``[s, e)`` are a framing phrase, not a clause (، في بيان صحفي اليوم إن …).

    It opens with a preposition or a time word and holds no cue, subordinator
    or relative pronoun, so the complementizer after it still belongs to the cue.
    """
    if s >= e or e - s > 7:
        return False
    first = _strip_conj(doc.norm[s])[0] if doc.norm[s][:1] == "و" else doc.norm[s]
    if first not in lx.framing:
        return False
    for m in range(s + 1, e):
        n = doc.norm[m]
        if _cue_lookup(lx, n) is not None or n in lx.blockers or _strip_conj(n)[0] in lx.subordinators:
            return False
    return True


def _apposition(doc: _Doc, lx: _Lex, s: int, e: int) -> bool:
    """Whether tokens ``[s, e)`` are one role phrase in apposition to the speaker
    (أكد حمدي الطباع، رئيس اتحاد رجال الأعمال العرب أن …): a title with its genitives."""
    if s >= e or e - s > 10 or not (_is_title(lx, doc.norm[s]) or _is_honor(lx, doc.norm[s])):
        return False
    np = _parse_np(doc, lx, s, e)
    return np is not None and np.end == e


def _relative_cue_at(lx: _Lex, doc: _Doc, k: int) -> bool:
    """Whether token ``k`` (right after a relative pronoun) is a cue verb, possibly with an
    object pronoun (تقول، اعتبرها)."""
    if k >= len(doc.norm):
        return False
    n = doc.norm[k]
    if _cue_lookup(lx, n) is not None:
        return True
    for suf in ("ها", "هم", "ه"):
        if n.endswith(suf) and len(n) - len(suf) >= 3:
            hit = _cue_lookup(lx, n[: -len(suf)])
            if hit is not None and hit[0] == "verb":
                return True
    return False


def _says(lx: _Lex, doc: _Doc, k: int) -> bool:
    """Whether token ``k`` is a form of قال (the verb that takes إن rather than أن)."""
    hit = _cue_lookup(lx, doc.norm[k])
    return hit is not None and hit[1] == "قال"


def _find_license(doc: _Doc, lx: _Lex, i: int, kind: str, lemma: str, strict: bool) -> tuple[str, int, int, int] | None:
    """What licenses the cue at ``i`` (GUIDELINES §1.1-1.2).

    Returns (kind, first content token, characters to skip in it, end of the
    speaker window) or None when the cue reports no statement.
    """
    # وطالب النائب بإلغاء …: a strict form that opens its clause with و/ف may take its preposition
    strict_verb = (
        strict
        and kind == "verb"
        and not (_strip_conj(doc.norm[i])[1] and "ب" in lx.preps.get(lemma, ()) and doc.sent_start[i] == i)
    )
    # long role phrases (مفتي عام المملكة رئيس هيئة … الشيخ X، في خطبته …، أن) need a wide
    # window; stance verbs keep a narrow one (GUIDELINES §1.2)
    opens = i == 0 or _is_punct(doc.norm[i - 1]) or doc.sent_start[i] == i or _strip_conj(doc.norm[i])[1] == 1
    width = 10 if kind == "part" else (8 if strict_verb else (30 if opens and lemma not in lx.stance else 22))
    # the window counts words: punctuation and a quoted stretch do not use it up
    limit = min(doc.hard_end[i], doc.para_end[i])
    words = 0
    m = i + 1
    while m < limit and words < width:
        pair_close = doc.pair_at[m][0] if m in doc.pair_at else None
        if pair_close is not None and doc.inside[i] < 0:
            m = pair_close + 1
            words += 1
            continue
        if not _is_punct(doc.norm[m]):
            words += 1
        m += 1
    limit = min(limit, m)
    if doc.inside[i] >= 0:
        close_i = doc.pair_at.get(doc.inside[i], (None, 0))[0]
        if close_i is not None:
            limit = min(limit, close_i)
    preps = lx.preps.get(lemma, frozenset())
    prep_hit: tuple[str, int, int, int] | None = None
    masdar_hit: tuple[str, int, int, int] | None = None
    seen_comma = False
    last_comma = -1
    in_relative = -1  # the relative clause's verb, once one is crossed
    k = i + 1
    while k < limit:
        n = doc.norm[k]
        prev = doc.norm[k - 1]
        if (
            k > i + 1
            and doc.inside[k] < 0
            and (hit := _cue_lookup(lx, n)) is not None
            and (prev in _COMMAS or n[0] in "وف" or kind == "part" or _own_clause_participle(doc, lx, hit, k))
        ):
            break  # another cue's clause begins
        if n in _COMMAS:
            if prep_hit or masdar_hit:
                break
            seen_comma = True
            last_comma = k
        if n in _RELATIVES_CONJ and (prep_hit or masdar_hit or _relative_cue_at(lx, doc, k + 1)):
            if prep_hit or masdar_hit:
                break  # أعلن عن إقالة X عقب تصريحاته التي اعتبرها … أنها: a later أن belongs to the relative
            in_relative = k + 1
        # وقالت المتحدثة التي أكدت قرار الاعتراف إن …: only قال takes إن; أن after a
        # relative's other verb is the relative's own complement
        if (
            in_relative >= 0
            and (n in lx.compl or n in lx.compl_pron)
            and not (lemma == "قال" and doc.toks[k].text.startswith("إ") and not _says(lx, doc, in_relative))
        ):
            break
        if n in lx.compl or n in lx.compl_pron:
            if prev in _SUBORD:
                if prep_hit or masdar_hit:
                    break
                k += 1
                continue
            if lemma in lx.stance and prev in ("على", "علي"):
                return None  # ترى الغرب على أنه …: a stance, not a statement
            if (
                last_comma >= 0
                and sum(1 for m in range(last_comma + 1, k) if not _is_punct(doc.norm[m])) > 3
                and not _framing_pp(doc, lx, last_comma + 1, k)
                and not _apposition(doc, lx, last_comma + 1, k)
            ):
                return None  # a new clause after the comma owns this complementizer
            if n in lx.compl_pron:
                return "compl", k, (1 if n[0] in "بو" else 0), k
            if k + 1 >= doc.para_end[i]:
                return None
            return "compl", k + 1, 0, k
        if n == ":":
            if k + 1 < doc.para_end[i] and (doc.norm[k + 1] in lx.compl or doc.norm[k + 1] in lx.compl_pron):
                k += 1  # قالت X: إن …: the complementizer decides
                continue
            return ("colon", k + 1, 0, k) if k + 1 < doc.para_end[i] else None
        if n in _QUOTE_CHARS and k in doc.pair_at:
            close = doc.pair_at[k][0]
            after = doc.norm[close + 1] if close is not None and close + 1 < doc.para_end[i] else ""
            qwords = sum(1 for t in range(k + 1, close) if not _is_punct(doc.norm[t])) if close is not None else 0
            if close is not None and (
                after == ":"
                or after in lx.compl
                or after in lx.compl_pron
                or (k == i + 1 and qwords <= 3 and after and not _is_punct(after))
                # أعلن وزير خارجية النرويج، "بورج براند"، قرار …: a quoted name in apposition
                or (prev in _COMMAS and qwords <= 3 and after in _COMMAS and k - i <= 8)
            ):
                k = close + 1  # a quoted subject: وقالت «الفيدرالية العالمية»: إن …, وأعلنت “مايكروسوفت” عن …
                continue
            short = close is not None and qwords <= 3
            if close is not None and _formula_quoted(doc, lx, k, close):
                k = close + 1  # «صلى الله عليه وسلم»: a formula, never a quotation
                continue
            blocked = (
                prev == "ل"
                or (prev.startswith("ل") and len(prev) <= 2)
                # في اتصال هاتفي بـ "الجوهرة اف أم": a name after بـ, unless the cue governs بـ (طالب بـ«…»)
                or (prev == "ب" and "ب" not in preps)
                or prev in ("في", "مع", "عن", "من", "باسم")
                or (short and (_in(lx.outlets, prev) or _in(lx.org, prev) or _bare(prev) in lx.statements))
            )
            if not blocked:
                # لوكالة الأنباء الألمانية (د ب أ) "…": a closing parenthesis ends the recipient phrase
                ok = (
                    prev in _COMMAS
                    or prev == ":"
                    or k == i + 1
                    or (k - i - 1 <= 8 and not seen_comma)
                    or (prev == ")" and not seen_comma)
                )
                if ok and close is not None and prev not in _COMMAS and k != i + 1:
                    words = sum(1 for t in range(k + 1, close) if not _is_punct(doc.norm[t]))
                    if words <= 2:
                        ok = False  # a quoted name or term after a noun (وفاة الطفلة «سكينة»)
                if ok:
                    return "open", k, 0, k
            if close is not None:
                k = close + 1
                continue
        # والمشرف على تنظيم الحفل، …: the preposition belongs to the role, not the cue
        governed = prev in lx.role_governors or _strip_conj(prev)[0] in lx.role_governors
        # أكد … حرصهم على …: a preposition after the masdar object is the masdar's
        if prep_hit is None and masdar_hit is None and not strict_verb and not governed:
            # a lone letter (د ب أ) is an abbreviation: ب/ل as prepositions are always clitics
            if n in preps and len(n) > 1 and k + 1 < limit and not _ali(doc, lx, k):
                prep_hit = ("prep", k + 1, 0, k)
            elif (
                "ب" in preps
                and n.startswith("ب")
                and len(n) > 3
                and n not in lx.stops
                and n not in ("باسم", "بعد", "بين", "بينما")
                # مستشار بلاتر, رئيس بلدية …: a ب-initial word after a construct title is its genitive
                and not (k > i + 1 and not prev.startswith(("ال", "وال")) and _is_title(lx, prev))
                # right after the verb only for participles, headlines (لندن تندد بأزمة …) and a
                # sentence-initial verb with و/ف and a dropped subject (وأشاد بنوعية …)
                and (
                    k > i + 1
                    or kind == "part"
                    or doc.para[i] == 0
                    or (_strip_conj(doc.norm[i])[1] == 1 and doc.sent_start[i] == i)
                )
            ):
                prep_hit = ("prep", k, 0, k)
            elif (
                "ل" in preps
                and n.startswith("ل")
                and not n.startswith("لل")
                and len(n) > 3
                and n not in lx.stops
                and n not in lx.blockers
            ):
                prep_hit = ("prep", k, 1, k)  # تأسف لغياب …: the content starts after لـ
        if (
            masdar_hit is None
            and not strict_verb
            and lemma in lx.np_object
            and (_in(lx.masdars, n) or _masdar_suffixed(lx, n))
        ):
            masdar_hit = ("np", k, 0, k)
        k += 1
    if strict_verb or lemma in lx.stance:
        return None
    if prep_hit:
        return prep_hit
    if masdar_hit:
        return masdar_hit
    if (
        kind == "part"
        and lemma in lx.np_object
        and lemma not in _MASDAR_ONLY
        and i + 1 < limit
        and not _np_stop(doc, lx, i + 1)
        # محملا بالمساعدات: a prepositional phrase, not an object
        and not (doc.norm[i + 1][:1] in "بل" and doc.norm[i + 1][1:3] == "ال")
    ):
        return "np", i + 1, 0, i + 1
    return None


def _own_clause_participle(doc: _Doc, lx: _Lex, hit: tuple[str, str], k: int) -> bool:
    """Whether the cue participle at ``k`` opens a circumstantial clause of its own
    (ودعا X إلى التريث مؤكدا أن …، وتساءلت X عن … مؤكدة أن …): the complementizer
    after it is the participle's, not the earlier cue's. The accusative forms
    (مؤكدا، مشيرين) are never nouns; the feminine ones (مذكرة، لافتة) can be, so
    they count only right before a complementizer or a colon."""
    if hit[0] != "part":
        return False
    n = doc.norm[k]
    if n.endswith(("ا", "ين")):
        return True
    nxt = doc.norm[k + 1] if k + 1 < len(doc.norm) else ""
    return nxt == ":" or nxt in lx.compl or nxt in lx.compl_pron


# --------------------------------------------------------------------------- #
# Extraction


def _masdar_suffixed(lx: _Lex, n: str) -> bool:
    """An object masdar with a possessive pronoun (حرصهم، رفضها، دعمه)."""
    for suf in ("هما", "هم", "ها", "نا", "ه"):
        if n.endswith(suf) and len(n) - len(suf) >= 3 and not n.startswith("ال"):
            stem = n[: -len(suf)]
            # براءته: a ta marbuta is written ت before the suffix
            return stem in lx.masdars or (stem.endswith("ت") and stem[:-1] + "ه" in lx.masdars)
    return False


# np_object lemmas whose bare object is a statement only when it is a listed masdar
# (أعلن براءته، أعلن رفضه) and otherwise a decision (أعلن حالة الطوارئ، خطة غير معلنة)
_MASDAR_ONLY = frozenset({"اعلن", "أعلن"})


_SUBORD = frozenset(
    {"ما", "وما", "بعد", "قبل", "منذ", "رغم", "برغم", "دون", "بدون", "حتى", "لو", "كما", "إلا", "الا", "بمجرد", "لمجرد"}
)


def _formula_quoted(doc: _Doc, lx: _Lex, k: int, close: int) -> bool:
    """Whether the marks at ``k``..``close`` hold a religious formula or honorific."""
    words = [doc.norm[m] for m in range(k + 1, close) if not _is_punct(doc.norm[m])]
    return bool(words) and " ".join(words) in lx.formulas_quoted
