"""Dropped and pronoun subjects: the nearest earlier source of the same
gender (same sentence first, then earlier quotations) lends its speaker.

Part of :mod:`newsan.extract.quotes` (see its docstring for the whole method).
"""

from __future__ import annotations

from newsan.extract.quotes.candidates import _not_speaker, _sentence_subject
from newsan.extract.quotes.cues import _cue_lookup, _strip_conj
from newsan.extract.quotes.document import _NP, _Cand, _Doc, _is_punct
from newsan.extract.quotes.phrases import _is_honor, _is_title, _parse_np
from newsan.extract.quotes.tables import _COMMAS, _in, _Lex

# --------------------------------------------------------------------------- #
# Speakers of dropped subjects


def _resolve_speakers(doc: _Doc, lx: _Lex, cands: list[_Cand]) -> None:
    """Give quotes with a pronoun or omitted subject the nearest earlier source (GUIDELINES §1.3)."""
    for idx, c in enumerate(cands):
        if c.speaker is not None or c.cue_kind in ("attrib", "mention"):
            continue
        # 0. a relative clause: its antecedent, the source just before the pronoun
        if c.relative and not c.resumptive:
            rel = c.cue - 1
            ante = [
                p
                for p in range(idx - 1, -1, -1)
                if (sp := cands[p].speaker) is not None
                and sp[1] <= rel
                and all(_is_punct(doc.norm[m]) for m in range(sp[1], rel))
            ]
            if ante:
                _borrow(c, cands[ante[0]], ante[0], keep_role=False)
                continue
            # الذي/التي follow a definite antecedent: the word before the pronoun
            if rel > 0 and doc.norm[rel - 1] in ("،", ","):
                # X رئيس مجلس الإدارة، الذي أشار إلى أن …: an appositive relative after a comma
                np = _np_before(doc, lx, rel - 1)
                if np is not None and np.speaker is not None:
                    c.speaker, c.role = np.speaker, (np.role if np.name else None)
                    continue
            if rel > 0 and doc.norm[rel - 1].startswith("ال") and doc.para[rel - 1] == doc.para[rel]:
                a = rel - 1
                while a > max(doc.sent_start[rel], rel - 3) and doc.norm[a - 1].startswith("ال"):
                    a -= 1  # السلطات المحلية التي …: the noun and its adjectives
                c.speaker = (a, rel)
                continue
        # 0b. «وسبق لـX أن أعلن …»: the subject is سبق's لـ-phrase
        if c.cue_kind == "verb" and _after_sabaqa(doc, lx, c):
            continue
        # 1. an earlier quote of the same sentence (قالت X إن … ، مضيفة أن …)
        same = -1
        for p in range(idx - 1, -1, -1):  # cands are in cue order: stop at the sentence start
            d = cands[p]
            if d.cue < doc.sent_start[c.cue]:
                break
            if (
                d.cue_kind != "mention"
                and not d.nested
                and not d.relative
                and doc.sent_start[d.cue] == doc.sent_start[c.cue]
                and d.speaker is not None
                and (not c.gender or not d.gender or c.gender == d.gender)
            ):
                same = p
                break
        if same >= 0:
            _borrow(c, cands[same], same, keep_role=c.cue_kind == "part")
            continue
        # 2. the subject of the sentence's main verb (كشفت صحة الشرقية …، مؤكدة …)
        np = _sentence_subject(doc, lx, c.cue, c.gender)
        if np is not None and np.speaker is not None and _subject_like(doc, lx, np.speaker):
            c.speaker, c.role = np.speaker, (np.role if np.name else None)
            continue
        # 2b. a participle, or a verb coordinated with و after a comma, whose sentence opens
        #     with a non-cue verb and its subject (وضعت الجماهير … جملة من المطالب، مطالبة إياه
        #     ب…; من جهة أخرى، رأس مدير الشرطة … اجتماعا …، وطلب من الجميع …)
        opens = doc.sent_start[c.cue] == c.cue and c.cue > 0
        if c.cue_kind == "part" or (
            c.cue_kind == "verb" and c.clitic and c.cue > 0 and (doc.norm[c.cue - 1] in ("،", ",") or opens)
        ):
            rng = None if opens else _opening_subject(doc, lx, c.cue, c.gender, verb=c.cue_kind == "verb")
            if rng is None and opens:
                # واطمأن X على …. ومشيدا …، ويزور علاوي مصر …. وقال …: a participle or a
                # verb with و opening a sentence continues the last one, when no
                # quotation stands between (else that quotation's source is nearer)
                prev = doc.sent_start[c.cue - 1]
                if doc.para[prev] == doc.para[c.cue] and not any(
                    prev <= cands[p].cue < c.cue for p in range(idx - 1, -1, -1)
                ):
                    rng = _opening_subject(doc, lx, c.cue, c.gender, start=prev)
                    if rng is not None and _pers_at(doc, rng[0]) is None:
                        rng = None  # only a person the tagger found carries over
            if rng is not None:
                c.speaker = rng
                continue
        # 3. earlier sources, preferring one whose verb agreed in gender
        best = -1
        for p in range(idx - 1, -1, -1):
            q = cands[p]
            if q.speaker is None or q.cue_kind == "attrib" or q.nested or q.relative:
                continue
            if best < 0:
                best = p
                if not c.gender or not q.gender or q.gender == c.gender:
                    break
                continue
            if q.gender == c.gender:
                best = p
                break
        if best >= 0:
            _borrow(c, cands[best], best, keep_role=False)


def _after_sabaqa(doc: _Doc, lx: _Lex, c: _Cand) -> bool:
    """«وسبق للرئيس الفلسطيني محمود عباس، أن أعلن …»، «سبق لأوباما أن قال …»:
    a cue right after أن, which follows سبق and its لـ-phrase in the same
    sentence, has that phrase's person (else the phrase) as its speaker.
    Sets ``c.speaker`` and says whether it did."""
    i = c.cue
    if i < 3 or doc.norm[i - 1] not in ("أن", "ان"):
        return False
    end = i - 1
    if doc.norm[end - 1] in _COMMAS:
        end -= 1
    start = doc.sent_start[i]
    for t in range(end - 2, max(start, end - 9) - 1, -1):
        if _strip_conj(doc.norm[t])[0] != "سبق":
            continue
        n = doc.norm[t + 1]
        if not n.startswith("ل") or len(n) < 3 or n in lx.stops:
            return False
        np = _parse_np(doc, lx, t + 1, end)
        if np is not None and np.name is not None and np.end == end and np.name[0] > t + 1:
            c.speaker = np.name  # للرئيس الفلسطيني | محمود عباس (the role keeps its لـ: not output)
            return True
        if any(_is_punct(doc.norm[m]) for m in range(t + 1, end)):
            return False
        for k in range(t + 2, end):
            form = _pers_at(doc, k)
            if doc.norm[k - 1].startswith(("ب", "لل")) and k - 1 > t + 1:
                break  # اتحاد الكرة برئاسة X: the person heads the subject, is not it
            if form is not None and k + len(form) == end:
                c.speaker = (k, end)  # للنجم البرازيلي السابق | زيكو
                return True
        c.speaker = (t + 1, end)
        c.speaker_strip = 0 if n.startswith("لل") else 1  # لأوباما -> أوباما
        return True
    return False


def _pers_at(doc: _Doc, k: int) -> tuple[str, ...] | None:
    """The longest PERS name of the article written at token ``k``, if any."""
    return next((f for f in doc.pers.get(doc.norm[k], ()) if tuple(doc.norm[k : k + len(f)]) == f), None)


def _opening_subject(
    doc: _Doc, lx: _Lex, i: int, gender: str, verb: bool = False, start: int | None = None
) -> tuple[int, int] | None:
    """Subject of a sentence-initial verb (وVERB SUBJ …) agreeing with participle ``i``.

    Arabic news sentences open with و + a past verb followed by its subject.
    The verb is recognised by shape only: a short word after و, not a noun
    with the article, ending in ت (feminine) when the participle is feminine
    and not ending in ت/ة when it is masculine. The subject is definite
    (الجماهير), a title (رئيس الاتحاد أحمد عيد) or a person the tagger found,
    in apposition (ويرفض كريس دويل، المدير التنفيذي …، …). ``start``: the
    sentence to read when it is not ``i``'s own.
    """
    s = doc.sent_start[i] if start is None else start
    framed = False
    if verb and s < i and _strip_conj(doc.norm[s])[0] in lx.openers:
        # من جهة أخرى، رأس X …، وطلب …: the verb follows the framing phrase, with or without و
        comma = next((m for m in range(s, min(i, s + 5)) if doc.norm[m] in _COMMAS), -1)
        if comma > 0:
            s, framed = comma + 1, True
    if s + 2 >= i or not (doc.norm[s].startswith(("و", "ف")) or framed):
        return None
    v = doc.norm[s][1:] if doc.norm[s].startswith(("و", "ف")) and len(doc.norm[s]) > 3 else doc.norm[s]
    if not 3 <= len(v) <= 5 or v.startswith(("ال", "م", "ل", "ب")) or v in lx.openers or v in lx.stops:
        return None
    if _cue_lookup(lx, doc.norm[s]) is not None or doc.norm[s] in lx.aux or v in lx.aux or v in lx.formulas:
        return None  # (يبدو الوضع مختلفا: a narrator's formula has no speaking subject)
    fem = v.endswith("ت")
    if v.endswith("ه") or (gender == "f") != fem or gender not in ("f", "m"):
        return None
    nx = doc.norm[s + 1]
    person = _pers_at(doc, s + 1)
    if person is not None and s + 1 + len(person) < i:
        # ويرفض كريس دويل، المدير التنفيذي …، فرضية …، مشيرا; وتولى ترامب السلطة …
        # متعهدا: a person right after the verb is its subject (VSO)
        return (s + 1, s + 1 + len(person))
    titled = _is_title(lx, nx) and not nx.startswith("ال")  # رأس مدير الشرطة …
    if not titled and (not nx.startswith("ال") or _is_title(lx, nx) or _in(lx.masdars, nx)):
        return None
    np = _parse_np(doc, lx, s + 1, i)
    if np is None or np.speaker is None or not _subject_like(doc, lx, np.speaker):
        return None
    if titled and not verb:
        # واطمأن رئيس الاتحاد أحمد عيد …، مشيدا: a person the tagger found, right after a short role
        if np.name is None or np.name[0] - (s + 1) > 4:
            return None
        form = _pers_at(doc, np.name[0])
        return (np.name[0], np.name[0] + len(form)) if form else None
    a, b = np.speaker
    for m in range(a + 1, b):
        if _is_honor(lx, doc.norm[m]) or _is_title(lx, doc.norm[m]):
            # وأدار الجلسة الأولى الدكتور X: the object came first, the titled person is the subject
            np2 = _parse_np(doc, lx, m, i)
            return np2.speaker if np2 is not None else None
    e = a + 1
    while e < b and doc.norm[e].startswith("ال"):
        e += 1  # الجماهير الاهلاوية | جملة: an indefinite word after the definite subject is the object
    return (a, e)


def _np_before(doc: _Doc, lx: _Lex, end: int) -> _NP | None:
    """The noun phrase that ends right before token ``end`` (a comma), back to its clause start."""
    a = end
    while a - 1 >= doc.sent_start[end] and end - a < 12:
        n = doc.norm[a - 1]
        if _is_punct(n) or _cue_lookup(lx, n) is not None or n in lx.stops or n in lx.compl or n in lx.compl_pron:
            break
        a -= 1
    while a < end and (
        doc.norm[a] in ("ذلك", "هذا", "هذه", "ايضا", "أيضا")
        or (doc.norm[a][:1] in "وف" and not doc.norm[a][1:].startswith("ال") and a == doc.sent_start[end])
    ):
        a += 1  # أكد ذلك X: the demonstrative is the object; وزار …: a clause-initial verb
    if a >= end:
        return None
    np = _parse_np(doc, lx, a, end)
    if np is None or np.end != end:
        return None
    if (
        np.name is not None
        and np.role is not None
        and np.name[1] - np.name[0] == 1
        and np.role[0] > np.name[0]
        and doc.norm[np.name[0]].startswith("ال")
    ):
        # الوفد | الوزير خالد، الذي …: a definite noun, then the antecedent with its title
        np2 = _parse_np(doc, lx, np.role[0], end)
        if np2 is not None and np2.end == end:
            return np2
    return np


def _borrow(c: _Cand, src: _Cand, idx: int, keep_role: bool) -> None:
    c.speaker = src.speaker
    c.source = src.source if src.source >= 0 else idx
    if keep_role:
        c.role = src.role
        c.via = c.via or src.via
    if not c.gender:
        c.gender = src.gender


def _subject_like(doc: _Doc, lx: _Lex, rng: tuple[int, int]) -> bool:
    """Whether a noun phrase after a sentence's first verb can be its subject, not its object
    (وأكد أهمية الطائف …, وأبدى سعادته …)."""
    if _not_speaker(doc, lx, rng):
        return False
    head = doc.norm[rng[0]]
    if _in(lx.masdars, head) and not _in(lx.org, head):
        return False
    if head.endswith(("ته", "تها", "تهم", "كم", "نا")) and len(head) > 4:
        return False
    return not any(doc.norm[k] in ("ذلك", "هذا", "هذه", "تلك", "هؤلاء") for k in range(*rng))
