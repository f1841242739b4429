"""Learned decisions over the rules' quotations (``shared/design/ATTRIBUTION.md``).

The rules of :mod:`newsan.extract.quotes` propose quotations (their own, and
with ``propose`` the cues they would have dropped, see :func:`with_candidates`);
three small linear models trained on annotated news
(``scripts/train_quotes.py``) decide:

* **the speaker** — a ranker over typed candidates: the rules' speaker, every
  person / organization / place mention of the cue's sentence and the two
  before it, and the speakers of the preceding quotations. Each candidate is
  described by features (where it stands relative to the cue, what kind of
  mention it is, whether the rules chose it, whether the rules' choice was a
  bare role next to it …) and the highest-scoring one speaks;
* **is this an attribution** — a logistic model over the quotation's features
  (cue word and type, the rules' licence, kind, length, what the speaker is);
  its probability is the quotation's ``confidence`` and quotations under the
  model's threshold are dropped;
* **where the content starts and ends** — a ranker over alternative
  boundaries (:func:`content_candidates`).

Features are strings; the model file maps them to weights, so scoring a
candidate is a handful of dictionary look-ups. Everything here is the run-time
side: the training code (:mod:`newsan.learn`) calls the same feature
functions, so training and analysis cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import json
import math
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from itertools import repeat
from typing import Any

from newsan.aggregate import role_titles
from newsan.extract.quotes import extract_quotes
from newsan.extract.quotes.phrases import _UNMARKED_OPENERS
from newsan.extract.quotes.tables import _QUOTE_CHARS, _RESUMPTIVES, _TERMINATORS, _compile
from newsan.lexicons import Lexicon
from newsan.model import Entity, Quote, Sentence, Span
from newsan.morph import cue_gender
from newsan.normalize import core_word, normalize_word
from newsan.segment import Segmented

__all__ = [
    "QuoteModel",
    "with_candidates",
    "SpeakerCandidate",
    "load_model",
    "speaker_candidates",
    "content_candidates",
    "quote_features",
    "apply_model",
]

_SPEAKER_LABELS = ("PERS", "ORG", "LOC")
# words that never start a speaker (a preposition, a complementizer, a pronoun …)
_FUNCTION_WORDS = frozenset(
    normalize_word(w)
    for w in "من في على إلى الى عن مع أن إن أنه إنه هو هي هم التي الذي الذين ذلك هذا هذه كما قد لا ما لم لن بعد قبل".split()
)
_PREPS = frozenset(normalize_word(w) for w in "من في على إلى الى عن مع لدى عند ضد حول بين".split())
_ATTRIB_CUES = frozenset(normalize_word(w) for w in "حسب بحسب وفق وفقا طبقا نقلا بقول".split())


@dataclass(frozen=True, slots=True)
class SpeakerCandidate:
    """One mention that could be a quotation's speaker."""

    span: Span
    canonical: str | None
    features: tuple[str, ...]
    from_rules: bool


@dataclass(frozen=True)
class QuoteModel:
    """Weights of the two decisions (see the module docstring)."""

    speaker: Mapping[str, float]
    keep: Mapping[str, float]
    keep_bias: float
    threshold: float
    meta: Mapping[str, Any]
    content: Mapping[str, float] = dataclasses.field(default_factory=dict)
    #: the keep threshold of a proposal (a quotation the rules did not make);
    #: None: the same as ``threshold``
    threshold_proposed: float | None = None

    def speaker_score(self, feats: Sequence[str]) -> float:
        return sum(map(self.speaker.get, feats, repeat(0.0)))

    def content_score(self, feats: Sequence[str]) -> float:
        return sum(map(self.content.get, feats, repeat(0.0)))

    def threshold_for(self, q: Quote) -> float:
        """The keep threshold of ``q``: a proposal's may be stricter than a rules' quotation's."""
        if self.threshold_proposed is not None and "extra" in q.evidence:
            return self.threshold_proposed
        return self.threshold

    def keep_probability(self, feats: Sequence[str]) -> float:
        z = self.keep_bias + sum(map(self.keep.get, feats, repeat(0.0)))
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def to_json(self) -> dict[str, Any]:
        return {
            "meta": dict(self.meta),
            "threshold": self.threshold,
            **({"threshold_proposed": self.threshold_proposed} if self.threshold_proposed is not None else {}),
            "keep_bias": self.keep_bias,
            "speaker": dict(sorted(self.speaker.items())),
            "keep": dict(sorted(self.keep.items())),
            "content": dict(sorted(self.content.items())),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> QuoteModel:
        return cls(
            speaker=dict(data["speaker"]),
            keep=dict(data["keep"]),
            keep_bias=float(data["keep_bias"]),
            threshold=float(data["threshold"]),
            meta=dict(data.get("meta", {})),
            content=dict(data.get("content", {})),
            threshold_proposed=(float(data["threshold_proposed"]) if data.get("threshold_proposed") is not None else None),
        )


@cache
def load_model() -> QuoteModel | None:
    """The shipped model (``models/quotes.json``), or None when the package has none."""
    path = files("newsan.models").joinpath("quotes.json")
    if not path.is_file():
        return None
    return QuoteModel.from_json(json.loads(path.read_text(encoding="utf-8")))


# --------------------------------------------------------------------------- #
# The document as the features see it


@dataclass
class _View:
    sentences: Sequence[Sentence]
    starts: list[int]  # token start offsets, in reading order
    ends: list[int]
    norms: list[str]
    raws: list[str]
    sent_of: list[int]  # sentence index of each token
    para_of: list[int]
    titles: frozenset[str]
    mentions: list[tuple[Span, Entity]]
    counts: dict[str, int]
    by_index: dict[int, Sentence]
    mention_starts: list[int]
    text: str | None = None
    #: women's given names, and the other given names the tagger knows (read as men's)
    names: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
    lexicon: Lexicon | None = None
    #: indices of the tokens that are a title word (الوزير، النائبة), in order
    title_tokens: list[int] = dataclasses.field(default_factory=list)
    #: (start, end, canonical) -> _SpanFacts, filled as speaker candidates come
    span_facts: dict[tuple[int, int, str | None], _SpanFacts] = dataclasses.field(default_factory=dict)

    def tok(self, pos: int) -> int:
        """Index of the token that contains (or last starts before) ``pos``."""
        return max(bisect_right(self.starts, pos) - 1, 0)

    def text_before(self, pos: int) -> str:
        """What stands right before ``pos``: a proclitic glued to the mention
        (``pre=ل``), else a preposition word before it (``prep=عن``), else ''."""
        t = self.tok(pos)
        if self.starts[t] < pos:
            return "pre=" + self.raws[t][: pos - self.starts[t]][-1:]
        if t > 0 and self.norms[t - 1] in _PREPS:
            return "prep=" + self.norms[t - 1]
        return ""


def _view(sentences: Sequence[Sentence], entities: Sequence[Entity], lexicon: Lexicon, text: str | None = None) -> _View:
    starts: list[int] = []
    ends: list[int] = []
    norms: list[str] = []
    raws: list[str] = []
    sent_of: list[int] = []
    para_of: list[int] = []
    for s in sentences:
        for t in s.tokens:
            starts.append(t.start)
            ends.append(t.end)
            norms.append(t.norm)
            raws.append(t.text)
            sent_of.append(s.index)
            para_of.append(s.paragraph)
    mentions = sorted(
        ((m, e) for e in entities if e.label in _SPEAKER_LABELS for m in e.mentions), key=lambda x: x[0].start
    )
    counts = {e.canonical: e.count for e in entities}
    titles = _titles(lexicon)
    return _View(
        sentences, starts, ends, norms, raws, sent_of, para_of, titles, mentions, counts,
        {s.index: s for s in sentences}, [m.start for m, _ in mentions], text, _given_names(lexicon), lexicon,
        [k for k, n in enumerate(norms) if n in titles or _bare(n) in titles],
    )


def _token_span(v: _View, a: int, b: int) -> Span | None:
    """The raw span of tokens ``[a, b)`` (within one sentence), or None."""
    if b <= a:
        return None
    s = v.by_index[v.sent_of[a]]
    start, end = v.starts[a], v.ends[b - 1]
    return Span(start, end, s.text[start - s.start : end - s.start])


@cache
def _titles(lexicon: Lexicon) -> frozenset[str]:
    """Role words (:func:`~newsan.aggregate.role_titles`) and the anonymous source nouns (المصادر)."""
    return role_titles(lexicon) | lexicon.words("source_nouns")


@cache
def _given_names(lexicon: Lexicon) -> tuple[frozenset[str], frozenset[str]]:
    women = lexicon.words("female_given_names")
    return women, lexicon.words("ner_given_names") - women


def _ends_phrase(w: str, position: int, stops: frozenset[str], verbs: Collection[str], v: _View) -> bool:
    """Whether the normalized word ``w``, the ``position``-th of a speaker's noun
    phrase, cannot be in it: a stop word, also behind و/ف (فإن، فقد), a cue verb,
    or after the first word a ل-word that is no given name (مصدر أمني | لمراسل)."""
    if len(w) < 2 or w in stops or _bare(w) in stops or (w[:1] in "وف" and w[1:] in stops) or w in verbs:
        return True  # (a lone letter: لـ «رويترز»، د ب أ)
    return position > 1 and w[:1] == "ل" and len(w) > 3 and w not in v.names[0] and w not in v.names[1]


@cache
def _phrase_stops(lexicon: Lexicon | None) -> frozenset[str]:
    """Words no speaker's noun phrase holds (see :func:`speaker_candidates`)."""
    if lexicon is None:
        return _FUNCTION_WORDS
    alone, with_pronoun = _complementizers(lexicon)
    # (and the particles and verbs that open unmarked speech: تم، يجب، لن …)
    return _FUNCTION_WORDS | lexicon.words("speaker_stops") | alone | with_pronoun | _UNMARKED_OPENERS


@cache
def _complementizers(lexicon: Lexicon) -> tuple[frozenset[str], frozenset[str]]:
    """The lexicon's complementizers: alone (أن، إن، بأن: the content starts after
    it) and carrying a pronoun (أنه، إنها: the content starts at it)."""
    return lexicon.words("complementizers"), lexicon.words("complementizers_pronoun")


@cache
def _outlets(lexicon: Lexicon) -> tuple[frozenset[str], frozenset[str]]:
    """Head nouns of outlets (وكالة، صحيفة …) and the outlets known by name."""
    return lexicon.words("outlet_nouns"), lexicon.words("outlets")


def _np_gender(words: Sequence[str], canonical_words: Sequence[str], v: _View) -> str:
    """The grammatical gender a verb agreeing with this mention takes: ``f`` for
    a woman's given name or a feminine head noun (الخبيرة، الوزارة), ``m`` for a
    man's given name or another head, ``pl`` for a sound masculine plural head."""
    women, men = v.names
    for ws in (canonical_words, words):
        if not ws:
            continue
        # a name may begin with و/ف (وفاء، فاطمة، وليد): the word as written first
        for first in dict.fromkeys((ws[0], _bare(ws[0]))):
            if first in women:
                return "f"
            if first in men:
                return "m"
    if not words:
        return "unk"
    head = core_word(words[0])
    if head.endswith("ه") and len(head) > 2:
        return "f"
    if head.endswith(("ون", "ين")) and len(head) > 4:
        return "pl"
    return "m"


def _marks(text: str) -> int:
    """How many quotation marks ``text`` holds (str.count per mark: C speed)."""
    return sum(text.count(m) for m in _QUOTE_MARKS)


def _bucket(n: int, edges: Sequence[int] = (0, 1, 2, 3, 5, 8, 13, 21)) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, ...]:
    return tuple(normalize_word(text).split())


def _bare(w: str) -> str:
    return w[1:] if w[:1] in "وف" and len(w) > 3 else w


def _cue_type(q: Quote) -> str:
    n = normalize_word(q.cue.text)
    if n == ":":
        return "colon"
    if n in _ATTRIB_CUES or " " in n or any(f == "cue=attrib" for f in q.evidence):
        return "attrib"
    for f in q.evidence:
        if f.startswith("cue="):
            return f[4:]
    return "verb"


def _cue_gender(q: Quote) -> str:
    return cue_gender(q.cue.text)


# --------------------------------------------------------------------------- #
# Speaker candidates and their features


_SPEAKER_REACH = 120  # tokens around a cue where speaker candidates are looked for


def speaker_candidates(q: Quote, quotes: Sequence[Quote], idx: int, v: _View) -> list[SpeakerCandidate]:
    """The typed candidates for quotation ``quotes[idx]`` (``q``), each with its features."""
    cue_t = v.tok(q.cue.start)
    cue_s = v.sent_of[cue_t]
    first_s = cue_s - 2
    cs, ce = q.content.start, q.content.end
    ctype = _cue_type(q)
    gender = _cue_gender(q)
    found: dict[tuple[int, int], dict[str, Any]] = {}

    def add(span: Span, canonical: str | None, tags: list[str], rules: bool = False) -> None:
        key = (span.start, span.end)
        slot = found.setdefault(key, {"span": span, "canonical": canonical, "tags": [], "rules": False})
        slot["tags"].extend(tags)
        slot["rules"] = slot["rules"] or rules
        if canonical and (slot["canonical"] is None or len(canonical) > len(slot["canonical"])):
            slot["canonical"] = canonical

    # a proposed content that starts at the word after its cue holds the VSO
    # subject (أكد عمر الولباني مدير عام … أنه …): its first words may be the speaker
    object_start = cue_t + 1 < len(v.starts) and cs == v.starts[cue_t + 1]
    # words that end a subject's noun phrase: function words, prepositions with or
    # without a pronoun (عليها، لنا), complementizers, times
    stops = _phrase_stops(v.lexicon)
    verbs = _cue_table(v.lexicon) if v.lexicon is not None else {}
    rule = q.speaker
    if rule is not None:
        rw = _words(rule.text)
        tags = ["src=rule", *(f"rule|{e}" for e in q.evidence if not e.startswith("extra_"))]
        if rw and rw[0] in v.titles:
            tags.append("rule_role")
        if v.sent_of[v.tok(rule.start)] == cue_s and "borrowed" not in q.evidence:
            tags.append("rule_same_sentence")
        add(rule, q.speaker_canonical, tags, rules=True)
    elif "extra" in q.evidence:
        # the words right after the cue (VSO): أكد وزير الخارجية …, دعا الاتحاد …
        k = cue_t + 1
        for length in (1, 2, 3, 4):
            e = k + length  # tokens [k, e)
            if e > len(v.starts) or v.sent_of[e - 1] != cue_s:
                break
            span = _token_span(v, k, e)
            if span is None or (cs >= q.cue.end and span.start >= cs and not object_start):
                break  # (a content before its cue, «…، حسب X», leaves the words after the cue free)
            w = _words(span.text)
            if not w or _ends_phrase(w[-1], len(w), stops, verbs, v) or any(ch in span.text for ch in "،,:.«»\"“”"):
                break  # (علق عليها الكثير، يفسر لنا كيف، ويرفض: no subject's words)
            add(span, span.text, [f"src=np_after{length}"])
    if ctype == "attrib":
        # the source an attribution names: بحسب موقع «كوارتز»، حسب ما أفاد به مصدر من
        # الحرس، بحسب ما أوردته جريدة الصباح (past «ما», its verb and the verb's pronoun)
        k = cue_t + 1
        # a relative verb's subject (بحسب ما كشفت لوموند) and بحسب's genitive keep their لـ
        keep_l = _bare(v.norms[cue_t]) in ("حسب", "بحسب")
        if k < len(v.norms) and v.norms[k] in ("ما", "لما"):
            k += 2
            keep_l = True
            if k < len(v.norms) and v.norms[k] in _RESUMPTIVES:
                k += 1
        # وفقا لـ «رويترز»: not the detached preposition, not the opening mark
        while k < len(v.norms) and (v.norms[k] in ("ل", "لـ") or not v.norms[k].strip("\"«»“”")):
            k += 1
        quoted = _quoted_outlet(v, k, cue_s)
        if quoted is not None:
            add(quoted, None, ["src=attrib_quoted"])  # بحسب موقع "يو بي أي": the outlet's name
        for length in (1, 2, 3, 4):
            e = k + length
            if e > len(v.starts) or v.sent_of[e - 1] != cue_s:
                break
            last = v.norms[e - 1]
            if _ends_phrase(last, length, stops, verbs, v) or last in _PREPS or not any(ch.isalpha() for ch in last):
                if not last.strip("\"«»“”"):
                    continue  # a quotation mark inside the name (موقع "كوارتز")
                break
            span = _token_span(v, k, e)
            if span is None or (cs <= span.start < ce):
                break
            if _marks(span.text) % 2:
                continue  # تعريف «الأسد …: the name runs on to its closing mark
            if (
                not keep_l
                and span.text[:1] == "ل"
                and len(v.norms[k]) > 3
                and v.norms[k][:2] != "لل"
                and v.norms[k] not in v.names[1]
            ):
                span = Span(span.start + 1, span.end, span.text[1:])  # وفقا لوكالة الأنباء: the source without لـ
            add(span, None, [f"src=attrib_np{length}"])
    lo_sent = v.by_index.get(max(first_s, 0)) or v.by_index[cue_s]
    # within the sentences, at most _SPEAKER_REACH tokens away from the cue: a
    # sentence may be a whole unpunctuated document, and each quotation's
    # candidates must stay few whatever its length
    lo_char = max(lo_sent.start, v.starts[max(cue_t - _SPEAKER_REACH, 0)])
    hi_char = min(v.by_index[cue_s].end, v.ends[min(cue_t + _SPEAKER_REACH, len(v.ends) - 1)])
    lo = bisect_right(v.mention_starts, lo_char - 1)
    hi = bisect_right(v.mention_starts, hi_char)
    for m, e in v.mentions[lo:hi]:
        t = v.tok(m.start)
        s = v.sent_of[t]
        if s < first_s or s > cue_s:
            continue
        if q.cue.start <= m.start < q.cue.end:
            continue
        if cs <= m.start < ce and not (object_start and t - cue_t <= 4):
            continue
        tags = [f"src=ent:{e.label}"]
        if rule is not None:
            if (m.start, m.end) == (rule.start, rule.end):
                tags.append("ent_is_rule")
            elif m.start < rule.end and rule.start < m.end:
                tags.append("overlaps_rule")
            elif 0 <= m.start - rule.end <= 3 or 0 <= rule.start - m.end <= 3:
                tags.append("adjacent_rule")
                if _words(rule.text)[:1] and _words(rule.text)[0] in v.titles:
                    tags.append("adjacent_rule_role")
        add(m, e.canonical, tags)
    # role noun phrases (النائبة، المتحدث باسم …، حارس المدرسة): a title word and
    # up to two words after it, in the cue's sentence and the two before it
    t0 = bisect_right(v.starts, lo_char - 1)
    titled = v.title_tokens
    for k in titled[bisect_left(titled, t0) : bisect_left(titled, min(len(v.starts), cue_t + 8))]:
        if v.sent_of[k] < first_s or v.sent_of[k] > cue_s:
            continue
        # (a title among the first words of a content that starts at the cue's
        # object may be the VSO subject: استنكر الناطق الرسمي …)
        in_subject = object_start and k - cue_t <= 4
        if (cs <= v.starts[k] < ce and not in_subject) or q.cue.start <= v.starts[k] < q.cue.end:
            continue
        for length in (1, 2, 3):
            e = k + length
            if e > len(v.starts) or v.sent_of[e - 1] != v.sent_of[k] or (length > 1 and (v.norms[e - 1] in _FUNCTION_WORDS or not v.norms[e - 1][:1].isalpha())):
                break
            if length > 1 and _ends_phrase(v.norms[e - 1], length, stops, verbs, v):
                break  # مصدر تركي | لوكالة فرانس برس: a listener or a verb ends the role
            if (cs <= v.starts[e - 1] < ce and not in_subject) or q.cue.start <= v.starts[e - 1] < q.cue.end:
                break
            span = _token_span(v, k, e)
            if span is not None:
                # و/ف glued to the title (ووزير، فالخبيرة), not the title's own first letter (وزير)
                cut = 0 if v.norms[k] in v.titles else len(v.norms[k]) - len(_bare(v.norms[k]))
                if cut and span.text[:cut] in ("و", "ف"):
                    span = Span(span.start + cut, span.end, span.text[cut:])
                add(span, None, [f"src=title{length}"])
    back = 0
    for k in range(idx - 1, -1, -1):
        p = quotes[k]
        if p.cue.start >= q.cue.start or p.speaker is None:
            continue
        back += 1
        tags = [f"src=prevq{min(back, 3)}"]
        if back == 1:
            # people named since that quotation's cue (outside its content): none
            # leaves the earlier speaker as the one the dropped subject refers to
            lo_m = bisect_right(v.mention_starts, p.cue.end - 1)
            hi_m = bisect_right(v.mention_starts, q.cue.start - 1)
            named = sum(
                1
                for m, e in v.mentions[lo_m:hi_m]
                if e.label == "PERS" and not (p.content.start <= m.start < p.content.end)
            )
            tags.append(f"prevq1_named={min(named, 2)}")
        if v.para_of[v.tok(p.cue.start)] == 0 and v.para_of[cue_t] > 0:
            tags.append("prevq_headline")  # the headline's speaker (مسؤول : …) seen from the body
        add(p.speaker, p.speaker_canonical, tags)
        if back >= 3:
            break

    out: list[SpeakerCandidate] = []
    before = sorted((k for k in found if k[1] <= q.cue.start), key=lambda k: -k[1])
    after = sorted((k for k in found if k[0] >= q.cue.end), key=lambda k: k[0])
    rank = {k: f"rank_before={min(r, 3)}" for r, k in enumerate(before)}
    rank.update({k: f"rank_after={min(r, 3)}" for r, k in enumerate(after)})
    # the clause position of each candidate: right after a reporting verb (the
    # subject's place: نفى حارس المدرسة …) or right after such a subject (the
    # object's place: نفى حارس المدرسة ذلك، أكد أعضاء الوفد وحدة مصير البلدين)
    facts = {key: _span_facts(v, slot["span"], slot["canonical"], verbs) for key, slot in found.items()}
    after_verb = {key for key, f in facts.items() if f.after_verb}
    subject_ends = {v.tok(key[1] - 1) for key in after_verb}
    # what every candidate of this quotation shares
    cue_end_t = v.tok(q.cue.end - 1)
    rule_tags = found[(rule.start, rule.end)]["tags"] if rule is not None else ()
    other_contents = [(p.content.start, p.content.end) for p in quotes[-6:] if p is not q]
    nouns, named = _outlets(v.lexicon)
    for key, slot in found.items():
        span: Span = slot["span"]
        fact = facts[key]
        t = fact.tok
        s = v.sent_of[t]
        if span.start >= q.cue.end:
            side = "after"
            dist = t - cue_end_t
        else:
            side = "before"
            dist = cue_t - fact.last_tok
        where = "same" if s == cue_s else f"back{min(cue_s - s, 3)}" if s < cue_s else "later"
        words = fact.words
        feats = list(slot["tags"])
        feats += [
            f"side={side}",
            f"where={where}",
            f"side={side}|where={where}",
            f"dist={_bucket(dist)}|side={side}",
            f"len={_bucket(len(words), (1, 2, 3, 4, 6))}",
            f"cue={ctype}|side={side}|where={where}",
            rank.get(key, "rank=none"),
            f"{rank.get(key, 'rank=none')}|cue={ctype}",
        ]
        if cs <= span.start < ce:
            feats.append("inside_content")
        if not slot["rules"] and rule is not None:
            feats.append("rule_exists")
            if "rule_same_sentence" in rule_tags:
                feats.append("rule_exists_same_sentence")
        if key in after_verb:
            feats.append("after_verb")
        elif t > 0 and t - 1 in subject_ends and v.starts[t] == span.start:
            feats.append("after_subject")
        before_tok = fact.before
        if before_tok:
            feats.append(f"before={before_tok}")
        if any(a <= span.start < b for a, b in other_contents):
            feats.append("inside_other_content")
        labels = [f[8:] for f in slot["tags"] if f.startswith("src=ent:")]
        lab = labels[0] if labels else "none"
        is_ent = bool(labels) or "ent_is_rule" in slot["tags"]
        first = fact.first
        if words and (
            words[0] in _FUNCTION_WORDS
            or first in _FUNCTION_WORDS
            # وفق ذات المصدر, وهو: a preposition's or pronoun's phrase
            or first in _ATTRIB_CUES
            # للمصدر ذاته, مسترسلا: a preposition's object, a cue word
            or (not is_ent and (words[0].startswith("لل") or first in verbs))
        ):
            feats.append("function_word")
        if side == "after" and where == "same" and span.end <= cs:
            feats.append("in_window")  # between the cue and its content: the VSO subject's place
            if is_ent:
                feats.append(f"in_window|{lab}")
                if "rule_role" in rule_tags:
                    feats.append("in_window_ent|rule_is_role")
        if words and not is_ent and words[-1].endswith(("ه", "ها", "هم", "هما")) and not words[-1].startswith("ال"):
            feats.append("pron_suffix")  # ثقته، دوافعه: an object with a possessive, not a source
        if words:
            feats.append("definite" if words[0].startswith(("ال", "وال")) else "indefinite")
        feats.append("entity" if is_ent else "not_entity")
        if words and words[0] in v.titles:
            feats.append("starts_with_title")
        if words and (first in nouns or fact.joined in named or (fact.canon and fact.canon in named)):
            feats += ["outlet", f"outlet|side={side}|where={where}", f"outlet|gender={gender}"]
        if words and not is_ent:
            feats.append(f"head={core_word(words[0])}")
            if len(words[-1]) > 2 and words[-1].endswith("ا") and not words[-1].startswith("ال"):
                feats.append("tail_alif")  # مؤخرا، بيانا، ردا: an adverb or object, not a name
        feats.append(f"label={lab}|gender={gender}")
        np_gender = fact.gender
        feats.append(f"np_gender={np_gender}|gender={gender}")
        if {np_gender, gender} == {"f", "m"}:
            feats.append("gender_clash")
        feats.append(f"label={lab}|cue={ctype}")
        if slot["canonical"] in v.counts:
            feats.append(f"count={_bucket(v.counts[slot['canonical']], (1, 2, 3, 5))}")
        if q.speaker is None:
            feats = feats + [f"norule|{f}" for f in feats if f.startswith(("side=", "src=", "rank_"))]
        out.append(SpeakerCandidate(span, slot["canonical"], tuple(feats), slot["rules"]))
    out.sort(key=lambda c: (c.span.start, c.span.end))
    return out


def _quoted_outlet(v: _View, k: int, sentence: int) -> Span | None:
    """The name in quotation marks after an outlet noun at token ``k`` (موقع
    "يو بي أي"، لصحيفة «الغارديان»), at most five words, else None."""
    if k + 2 >= len(v.norms) or v.sent_of[k] != sentence or v.norms[k + 1].strip("\"«»“”"):
        return None
    w = v.norms[k]
    nouns = _outlets(v.lexicon)[0] if v.lexicon is not None else frozenset()
    if not (w in nouns or _bare(w) in nouns or (w[:1] == "ل" and w[:2] != "لل" and w[1:] in nouns)):
        return None
    for e in range(k + 3, min(k + 8, len(v.norms))):
        if v.sent_of[e] != sentence:
            return None
        if not v.norms[e].strip("\"«»“”"):
            return _token_span(v, k + 2, e)
    return None


@dataclass(frozen=True, slots=True)
class _SpanFacts:
    """What the speaker features read from a candidate's span and canonical name
    alone, worked out once per article (a mention is a candidate of many quotations)."""

    words: tuple[str, ...]
    tok: int  # its first token
    last_tok: int
    before: str  # View.text_before
    first: str  # its first word without و/ف
    joined: str  # its words, normalized, one space apart
    canon: str  # the canonical name, the same way
    gender: str  # _np_gender
    after_verb: bool


def _span_facts(v: _View, span: Span, canonical: str | None, verbs: Collection[str]) -> _SpanFacts:
    key = (span.start, span.end, canonical)
    got = v.span_facts.get(key)
    if got is None:
        words = _words(span.text)
        canonical_words = _words(canonical) if canonical else ()
        got = v.span_facts[key] = _SpanFacts(
            words,
            v.tok(span.start),
            v.tok(max(span.end - 1, span.start)),
            v.text_before(span.start),
            _bare(words[0]) if words else "",
            " ".join(words),
            " ".join(canonical_words),
            _np_gender(words, canonical_words, v),
            _after_verb(v, span.start, verbs),
        )
    return got


def _after_verb(v: _View, start: int, verbs: Collection[str]) -> bool:
    """Does the word right before ``start`` (in its sentence) read as a reporting verb?"""
    t = v.tok(start)
    if v.starts[t] < start or t == 0 or v.sent_of[t - 1] != v.sent_of[t]:
        return False
    n = v.norms[t - 1]
    return n in verbs or (len(n) > 3 and n[0] in "وف" and n[1:] in verbs)


# --------------------------------------------------------------------------- #
# Where does the content start and end?

_COMMA = frozenset("،,")
_CLAUSE_LICENCES = ("lic=compl", "lic=colon", "lic=open", "lic=proposed_compl", "lic=proposed_open", "lic=window_compl", "lic=window_open")
_GOVERNED = frozenset({"الى", "إلى", "عن", "على", "علي"})
_CONTENT_REACH = 120  # tokens past a content's end where another end is looked for
_MAX_ENDS = 16


@dataclass(frozen=True, slots=True)
class ContentCandidate:
    span: Span
    features: tuple[str, ...]
    original: bool


def content_candidates(q: Quote, v: _View, cues: Collection[str] = ()) -> list[ContentCandidate]:
    """Alternative contents for one quotation: its own, starting after the speaker
    or a complementizer inside it, and ending at each comma or sentence end of
    its paragraph (up to two sentences past its own end)."""
    if q.kind == "direct" or not q.content.text:
        return []
    a = v.tok(q.content.start)
    b = v.tok(q.content.end - 1) + 1
    para = v.para_of[a]
    n = len(v.starts)
    starts: dict[int, str] = {q.content.start: "orig"}
    limit = min(b, a + 14)
    if q.speaker is not None and q.content.start <= q.speaker.start < v.ends[limit - 1]:
        k = v.tok(q.speaker.end - 1) + 1
        while k < b and all(ch in _EDGE_PUNCT for ch in v.norms[k]):
            k += 1
        if k < b:
            starts.setdefault(v.starts[k], "after_speaker")
    compl = _complementizers(v.lexicon) if v.lexicon is not None else (frozenset(), frozenset())
    # دعا الحزب كافة الفاعلين إلى التحلي …، تحدثت عن أضرار …: the content after the
    # preposition the cue governs (its addressee or subject may stand before it),
    # when the content starts at the cue's object; a preposition inside a reported
    # clause (أن الحكومة ستعمل على …) is the clause's own
    if not any(e in q.evidence for e in _CLAUSE_LICENCES):
        for k in range(a, limit):
            if v.norms[k] in _GOVERNED and k + 1 < b:
                starts.setdefault(v.starts[k + 1], "after_prep")
                break
    for k in range(a + 1, limit):
        w = v.norms[k]
        if w in compl[1] and k + 1 < b:
            starts.setdefault(v.starts[k], "at_compl_pron")
            break
        if w in compl[0] and k + 1 < b:
            starts.setdefault(v.starts[k + 1], "after_compl")
            break
    ends: dict[int, tuple[str, int]] = {}
    terms_past = 0
    commas = 0
    k = a + 1
    stop = min(n, b + _CONTENT_REACH)  # bounded: a paragraph may be one unpunctuated wall of text
    while k < stop and v.para_of[k] == para:
        w = v.norms[k]
        if w in _COMMA or w in _END_PUNCT:
            end_char = v.ends[k - 1]
            if end_char > q.content.start and not all(ch in _EDGE_PUNCT for ch in v.norms[k - 1]):
                rel = "in" if end_char < q.content.end else ("at" if end_char == q.content.end else "past")
                ends.setdefault(end_char, ("comma" if w in _COMMA else "term", commas if rel != "past" else -1))
            if w in _COMMA:
                commas += 1
            elif v.ends[k] > q.content.end:
                terms_past += 1
                if terms_past >= 2:
                    break
        k += 1
    else:
        if k == n or v.para_of[k] != para:  # the paragraph's end was reached
            last = k - 1
            while last > a and all(ch in _EDGE_PUNCT or ch in _END_PUNCT for ch in v.norms[last]):
                last -= 1
            ends.setdefault(v.ends[last], ("para", -1))
    if len(ends) > _MAX_ENDS:  # the ends nearest the content's own
        ends = dict(sorted(ends.items(), key=lambda e: abs(e[0] - q.content.end))[:_MAX_ENDS])
    ends[q.content.end] = ("orig", 0)
    ctype = _cue_type(q)
    lic = next((e for e in q.evidence if e.startswith("lic=")), "lic=none")
    out: list[ContentCandidate] = []
    for sc, stype in starts.items():
        for ec, (etype, ncomma) in ends.items():
            if ec <= sc:
                continue
            e_tok = v.tok(ec - 1)
            if v.sent_of[e_tok] != v.sent_of[a] and v.sent_of[e_tok] - v.sent_of[a] > 2:
                continue
            if v.text is not None:
                span = Span(sc, ec, v.text[sc:ec])
            elif v.sent_of[v.tok(sc)] == v.sent_of[e_tok]:
                s_obj = v.by_index[v.sent_of[e_tok]]
                span = Span(sc, ec, s_obj.text[sc - s_obj.start : ec - s_obj.start])
            else:
                continue  # across sentences, without the article text at hand
            rel = "same" if ec == q.content.end else ("shorter" if ec < q.content.end else "longer")
            nxt = e_tok + 2 if e_tok + 1 < n and v.norms[e_tok + 1] in _COMMA else e_tok + 1
            nw = _bare(v.norms[nxt]) if nxt < n and v.para_of[nxt] == para else "<para>"
            nw_kind = "cue" if nw in cues else ("punct" if all(ch in _EDGE_PUNCT or ch in _END_PUNCT for ch in nw) else "word")
            length = v.tok(ec - 1) - v.tok(sc) + 1
            feats = [
                f"start={stype}",
                f"end={etype}",
                f"end={etype}|rel={rel}",
                f"end={etype}|{lic}",
                f"end={etype}|cue={ctype}",
                f"rel={rel}|cue={ctype}",
                f"rel={rel}|{lic}",
                f"start={stype}|{lic}",
                f"next={nw}",
                f"next_kind={nw_kind}|end={etype}",
                f"len={_bucket(length, (2, 4, 8, 16, 32, 64))}",
                f"len={_bucket(length, (4, 16))}|end={etype}",
                f"commas_in={_bucket(ncomma, (-1, 0, 1, 2, 4))}|end={etype}",
                f"sents={v.sent_of[e_tok] - v.sent_of[a]}",
            ]
            if _marks(span.text) % 2:
                feats.append("unbalanced_marks")
            out.append(ContentCandidate(span, tuple(feats), sc == q.content.start and ec == q.content.end))
    return out


# --------------------------------------------------------------------------- #
# Is it an attribution?


def quote_features(q: Quote, v: _View) -> list[str]:
    """Features of one quotation for the keep/drop decision."""
    cue_words = normalize_word(q.cue.text).split()
    lemma = _bare(cue_words[0]) if cue_words else ""
    ctype = _cue_type(q)
    n_words = len(q.content.text.split())
    feats = [
        f"cue_word={lemma}",
        f"cue={ctype}",
        f"kind={q.kind}",
        f"kind={q.kind}|cue={ctype}",
        f"clen={_bucket(n_words, (1, 2, 3, 5, 8, 13, 21, 34))}",
        f"clen={_bucket(n_words, (2, 5, 13))}|cue={ctype}",
        *q.evidence,
        *(f"{e}|cue={ctype}" for e in q.evidence if e.startswith("lic=")),
    ]
    t = v.tok(q.cue.start)
    if v.para_of[t] == 0:
        feats.append(f"title|cue={ctype}")
    if q.speaker is None:
        feats.append("speaker=none")
    else:
        sw = _words(q.speaker.text)
        k = bisect_right(v.mention_starts, q.speaker.end - 1)
        labels = [e.label for m, e in v.mentions[max(k - 8, 0) : k] if q.speaker.start < m.end]
        feats.append(f"speaker_label={labels[0] if labels else 'none'}")
        if ctype == "colon":
            # a headline «X: …» quotes X only when X is a speaker (not a place, «بالأرقام»)
            feats.append(f"speaker_label={labels[0] if labels else 'none'}|cue={ctype}")
        feats.append(f"speaker_len={_bucket(len(sw), (1, 2, 3, 5))}")
        if sw and sw[0] in v.titles:
            feats.append("speaker_title")
        if sw and sw[0] in _FUNCTION_WORDS:
            feats.append("speaker_function_word")
    return feats


# --------------------------------------------------------------------------- #
# Candidates the rules left out


def with_candidates(
    seg: Segmented, lexicon: Lexicon, entities: Sequence[Entity], quotes: Sequence[Quote]
) -> list[Quote]:
    """The rules' quotations plus the ones proposed where the rules found none.

    The proposals come from a second pass of the rules with
    ``extract_quotes(propose=True)`` (cues without a licence, and the cues of
    ``candidate_cues``): only its proposed quotations are taken, so the rules'
    own output stays exactly as it was. Each carries the evidence ``extra``.
    """
    proposed, _ = extract_quotes(seg, lexicon, entities, propose=True)
    cues = {(q.cue.start, q.cue.end) for q in quotes}
    extra = [
        dataclasses.replace(q, evidence=("extra", *q.evidence))
        for q in proposed
        if (q.cue.start, q.cue.end) not in cues
    ]
    known = [*quotes, *extra]
    extra += _window_quotes(seg.sentences, known, lexicon)
    return sorted([*quotes, *extra], key=lambda q: (q.cue.start, q.content.start))


@cache
def _cue_table(lexicon: Lexicon) -> dict[str, str]:
    """Normalized cue form -> lemma: the rules' compiled cue verbs and participles,
    then the generated ``candidate_cues`` forms (one source: the rules' tables)."""
    lx = _compile(lexicon)
    table: dict[str, str] = {}
    for forms in (lx.verb, lx.part, lx.proposed):
        for f, lemma in forms.items():
            table.setdefault(f, lemma)
    return table


_QUOTE_MARKS = _QUOTE_CHARS
_END_PUNCT = _TERMINATORS
_EDGE_PUNCT = frozenset("،,:؛-–—\"«»“”()")


def _window_quotes(sentences: Sequence[Sentence], known: Sequence[Quote], lexicon: Lexicon) -> list[Quote]:
    """Candidates at cue words that neither the rules nor their proposals used,
    attribution phrases included (…، حسب X): the content runs from the
    complementizer, colon or opening mark after the cue (else the next word) to
    the sentence end, or, for an attribution phrase late in its sentence, is
    the clause before it. No speaker: the ranker chooses one."""
    forms = _cue_table(lexicon)
    compl, compl_pron = _complementizers(lexicon)
    taken = _Intervals((q.cue.start, q.cue.end) for q in known)
    inside = _Intervals((q.content.start, q.content.end) for q in known)
    out: list[Quote] = []
    for s in sentences:
        toks = s.tokens
        n = len(toks)
        for i, t in enumerate(toks):
            norm = t.norm
            clitic = 0
            lemma = forms.get(norm)
            if lemma is None and len(norm) > 3 and norm[0] in "وف":
                lemma, clitic = forms.get(norm[1:]), 1
            attrib = False
            if lemma is None and _bare(norm) in _ATTRIB_CUES:
                lemma, attrib, clitic = _bare(norm), True, int(norm != _bare(norm))
            if lemma is None:
                continue
            if taken.overlaps(t.start, t.end) or inside.overlaps(t.start, t.start + 1):
                continue
            how, cs = "obj", i + 1
            for k in range(i + 1, min(n, i + 14)):
                w = toks[k].norm
                if w in _END_PUNCT:
                    break
                if w in compl_pron:
                    how, cs = "compl", k
                    break
                if w in compl:
                    how, cs = "compl", k + 1
                    break
                if w == ":":
                    how, cs = "colon", k + 1
                    break
                if w in _QUOTE_MARKS and k <= i + 8:
                    how, cs = "open", k + 1
                    break
            if attrib and how == "obj":
                # «بحسب X، فإن …»: the source runs to the comma, the content follows it
                comma = next((k for k in range(i + 2, min(n, i + 10)) if toks[k].norm in _COMMA or toks[k].norm in _END_PUNCT), None)
                if comma is not None and toks[comma].norm in _COMMA:
                    how, cs = "comma", comma + 1
                    if cs < n and _bare(toks[cs].norm) in compl:
                        cs += 1
            ce = next((k for k in range(cs, n) if toks[k].norm in _END_PUNCT), n)
            if attrib and i >= n // 2 and i > 2:
                how, cs, ce = "before", 0, i
            while cs < ce and all(ch in _EDGE_PUNCT for ch in toks[cs].norm):
                cs += 1
            while ce > cs and all(ch in _EDGE_PUNCT or ch in _END_PUNCT for ch in toks[ce - 1].norm):
                ce -= 1
            if ce - cs < 2:
                continue
            a, b = toks[cs].start, toks[ce - 1].end
            if inside.overlaps(a, a + 1):
                continue
            content = Span(a, b, s.text[a - s.start : b - s.start])
            cue = Span(t.start + clitic, t.end, t.text[clitic:])
            marks = _marks(content.text)
            kind = "direct" if how == "open" and marks == 0 else ("mixed" if marks >= 2 else "indirect")
            prev = toks[i - 1].norm if i > 0 else "<s>"
            evidence = (
                "extra",
                "window",
                f"lic=window_{how}",
                f"cue={'attrib' if attrib else ('part' if norm.lstrip('وف').startswith('م') else 'verb')}",
                "no_speaker",
                f"extra_lemma={lemma}",
                f"extra_prev={prev if prev in _FUNCTION_WORDS or prev in _PREV_WORDS else 'other'}",
                f"extra_pos={_bucket(i, (0, 1, 3, 6))}",
                f"extra_gap={_bucket(cs - i, (1, 2, 4, 8))}",
                f"extra_how={how}|lemma={lemma}",
            )
            out.append(Quote(kind, cue, content, None, None, None, None, None, None, None, s.index, evidence))
    return out


class _Intervals:
    """A fixed set of half-open intervals, asked whether any overlaps [a, b):
    sorted by start with a running maximum of the ends, so one bisection answers."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        items = sorted(spans)
        self.starts = [a for a, _ in items]
        self.reach: list[int] = []
        best = -1
        for _, b in items:
            best = max(best, b)
            self.reach.append(best)

    def overlaps(self, a: int, b: int) -> bool:
        k = bisect_left(self.starts, b)  # the intervals starting before b
        return k > 0 and self.reach[k - 1] > a


_PREV_WORDS = frozenset(normalize_word(w) for w in "، , و ف كما حيث الذي التي الذين ثم وقد فقد قد".split())


# --------------------------------------------------------------------------- #
# Applying the model


def apply_model(
    quotes: Sequence[Quote],
    sentences: Sequence[Sentence],
    entities: Sequence[Entity],
    lexicon: Lexicon,
    model: QuoteModel,
    text: str | None = None,
) -> list[Quote]:
    """Candidate quotations (:func:`with_candidates`) after the learned decisions:
    a speaker chosen by the ranker, a confidence from the keep model, the ones
    under its threshold dropped, and of two kept quotations whose contents
    overlap, the rules' one or else the more confident; then the content
    boundaries chosen by the content ranker among :func:`content_candidates`
    (``text``, the article's text, lets a content run over a sentence end).

    The keep model only judges cue words it was trained on: a rules' quotation
    whose cue word it never saw (a verb from the user's ``--lexicon``) is kept,
    with a confidence no lower than the threshold."""
    if not quotes:
        return []
    v = _view(sentences, entities, lexicon, text)
    # in reading order: a quotation's earlier-speaker candidates are the speakers
    # chosen for the earlier quotations that the keep model keeps
    context: list[Quote] = []
    scored: list[tuple[float, Quote]] = []
    cues = _cue_table(lexicon)
    cue_starts = [q.cue.start for q in quotes]
    original: dict[int, Span] = {}
    for q in quotes:
        q = with_speaker(q, context, v, model)
        if model.content:
            chosen = _content_choice(q, v, model, cues, cue_starts)
            if chosen is not q:
                original[id(chosen)] = q.content
                q = chosen
        feats = quote_features(q, v)
        p = model.keep_probability(feats)
        if "extra" not in q.evidence and feats[0] not in model.keep:
            # a cue word the model never saw (a user's --lexicon verb): the rules' call
            p = max(p, model.threshold)
        scored.append((p, q))
        if p >= model.threshold_for(q):
            context.append(q)
    kept: list[tuple[float, Quote]] = []
    for p, q in sorted(scored, key=lambda x: ("extra" in x[1].evidence, -x[0])):
        if p < model.threshold_for(q):
            continue
        if "extra" in q.evidence and any(
            k.content.start < q.content.end and q.content.start < k.content.end for _, k in kept
        ):
            continue
        kept.append((p, q))
    kept.sort(key=lambda x: (x[1].cue.start, x[1].content.start))
    out = []
    for i, (p, q) in enumerate(kept):
        if id(q) in original and any(
            j != i and k.content.start < q.content.end and q.content.start < k.content.end for j, (_, k) in enumerate(kept)
        ):
            # the chosen content runs into another kept quotation's: back to its own
            q = dataclasses.replace(q, content=original[id(q)])
        out.append(dataclasses.replace(q, confidence=round(p, 3)))
    return out


def with_speaker(q: Quote, context: Sequence[Quote], v: _View, model: QuoteModel) -> Quote:
    """The quotation with the speaker the ranker chooses among its candidates
    (``context``: the quotations before it), under the constraints: the speaker
    is neither the addressee nor the relaying outlet, and never a function
    word's phrase while another candidate stands. A rules' role word beside the
    chosen name becomes the quotation's ``role``."""
    cands = speaker_candidates(q, [*context, q], len(context), v)
    others = [x for x in (q.addressee, q.via) if x is not None]
    cands = [c for c in cands if c.from_rules or not any(c.span.start < x.end and x.start < c.span.end for x in others)]
    # a speaker is a typed mention, never a function word's phrase (ذلك، وفق ذات المصدر)
    cands = [c for c in cands if "function_word" not in c.features] or cands
    if not cands:
        return q
    best = max(cands, key=lambda c: (model.speaker_score(c.features), c.from_rules))
    if best.from_rules:
        return q
    role = q.role
    if q.speaker is not None and role is None and _words(q.speaker.text)[:1] and _words(q.speaker.text)[0] in v.titles:
        role = q.speaker  # الخبير + the name beside it: the rules' word was the role
    if role is not None and (
        role.start < best.span.end and best.span.start < role.end or not _role_of(v, role, best)
    ):
        role = None  # (the rules' role of another mention: مسؤول سعودي is not غسان شربل's)
    return dataclasses.replace(q, speaker=best.span, speaker_canonical=best.canonical or best.span.text, role=role)


_ROLE_GAP = 8  # tokens at most between a role and its name (صاحب السمو الملكي الأمير X)


def _role_of(v: _View, role: Span, best: SpeakerCandidate) -> bool:
    """Whether ``role`` is the chosen speaker's: it stands within a few words of
    the speaker in one sentence, of another mention of the same person, or of
    the speaker's last word written again (a headline's name, its role in the
    body: وزير الدفاع الوطني فرحات الحرشاني)."""
    last = _words(best.span.text)[-1:]
    if last:
        a, b = v.tok(role.start), v.tok(max(role.end - 1, role.start))
        sent = v.sent_of[a]
        near = range(max(a - _ROLE_GAP - 1, 0), min(b + _ROLE_GAP + 2, len(v.norms)))
        if any(v.sent_of[k] == sent and not a <= k <= b and v.norms[k] == last[0] for k in near):
            return True
    spans = [best.span]
    if best.canonical:
        lo = bisect_right(v.mention_starts, role.start - 200)
        hi = bisect_right(v.mention_starts, role.end + 200)
        spans += [m for m, e in v.mentions[lo:hi] if e.canonical == best.canonical]
    for sp in spans:
        first, second = (role, sp) if role.start <= sp.start else (sp, role)
        a, b = v.tok(max(first.end - 1, first.start)), v.tok(second.start)
        if v.sent_of[a] == v.sent_of[b] and b - a - 1 <= _ROLE_GAP:
            return True
    return False


def _content_choice(q: Quote, v: _View, model: QuoteModel, cues: Collection[str], cue_starts: Sequence[int]) -> Quote:
    """The quotation with the content the content ranker chooses, unless that
    content would swallow a cue (its own or another candidate's)."""
    cands = content_candidates(q, v, cues)
    if not cands:
        return q
    best = max(cands, key=lambda c: (model.content_score(c.features), c.original))
    if best.original:
        return q
    sp = best.span
    lo = bisect_left(cue_starts, sp.start)
    if lo < len(cue_starts) and cue_starts[lo] < sp.end:
        return q
    kind = q.kind
    if kind == "indirect" and _marks(sp.text) >= 2:
        kind = "mixed"
    return dataclasses.replace(q, content=sp, kind=kind)
