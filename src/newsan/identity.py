"""Names -> identities across a corpus: one identity per real person or body.

Within an article, :func:`newsan.aggregate.build_entities` already groups the
mentions of one source under its fullest form (``أوباما`` under ``باراك
أوباما``). Across articles the same person comes back under other spellings
and other partial names. This module joins them in two steps:

1. **Spelling.** Every name gets a *key*: the project's normalized form
   (:func:`newsan.normalize.normalize_word`: hamza and alef forms, ى/ي, ة/ه,
   diacritics, tatweel), punctuation and leading honorifics (الشيخ, الدكتور)
   removed, the compound given names written
   together (``عبد الله`` = ``عبدالله``, ``أبو بكر`` = ``أبوبكر``) and the
   transliteration variants of ``speakers.yaml`` (``ترمب`` = ``ترامب``) folded.
   Names with one key are one identity.
2. **Partial names.** A shorter key that an article *tied* to a longer one
   (listed as its alias, or a speaker span whose canonical name is the longer
   one) joins the longer key's identity, but only when the corpus ties it to a
   single identity (at least :data:`DOMINANT` of its tying articles). ``الشاهد``
   tied to ``يوسف الشاهد`` in every article that tied it becomes him; tied
   once to يوسف الشاهد and once to حافظ الشاهد it stays a name of its own. A single
   word joins a person only as their family name (أوباما, not باراك): a bare given
   name stands for too many people.
   Two full names are never joined because they share a part: ``يوسف الشاهد``
   and ``حافظ الشاهد`` have different keys and neither is tied to the other.

Speakers are also sorted into *kinds* for the boards: ``person``,
``institution``, ``anonymous`` (المصدر, مصادر مطلعة, التقرير), ``role`` (a
title without a name: المتحدث الرسمي) and ``garbage`` (pronoun fragments and
function words read as a speaker: خلاله, البعض, تعالى), see
:func:`speaker_kind`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from newsan.lexicons import Lexicon, load_lexicon
from newsan.normalize import normalize_word

__all__ = ["name_key", "speaker_kind", "Identity", "IdentityResolver", "KINDS"]

#: Speaker kinds, in board order.
KINDS = ("person", "institution", "anonymous", "role", "other", "garbage")
_NOT_NAMES = frozenset({"anonymous", "role", "garbage"})
#: Share of a partial name's tying articles that must point to one identity.
DOMINANT = 0.8

_NON_LETTER = re.compile(r"[^\w\s]|[\d_]")
# Compound given names written with or without a space (عبد الله, أبو بكر).
_JOIN_NEXT = frozenset({"عبد", "ابو", "ابي", "ابا"})


@cache
def _variants(lexicon: Lexicon) -> dict[str, str]:
    """Normalized variant -> normalized preferred spelling (``name_variants``)."""
    return {v: normalize_word(head) for v, head in lexicon.labelled("name_variants").items()}


def name_key(name: str, lexicon: Lexicon | None = None) -> str:
    """The spelling-independent key of a name (see the module docstring).

    >>> name_key("عبد الله بن عبدالعزيز") == name_key("عبدالله بن عبد العزيز")
    True
    """
    lex = lexicon or load_lexicon()
    variants = _variants(lex)
    tokens = _NON_LETTER.sub(" ", normalize_word(name)).split()
    honorifics = _kind_words(lex)["honorific"]
    while len(tokens) > 1 and tokens[0] in honorifics:
        tokens = tokens[1:]  # الشيخ أحمد الفهد = أحمد الفهد
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in _JOIN_NEXT and i + 1 < len(tokens):
            tok += tokens[i + 1]
            i += 1
        out.append(variants.get(tok, tok))
        i += 1
    return " ".join(out)


@cache
def _kind_words(lexicon: Lexicon) -> dict[str, frozenset[str]]:
    return {
        "garbage": lexicon.words("not_speakers"),
        "anonymous": lexicon.words("anonymous_speakers") | lexicon.words("source_nouns"),
        "role": lexicon.words("titles"),
        "honorific": lexicon.words("honorifics"),
        "institution": lexicon.words("org_nouns") | lexicon.words("outlet_nouns"),
        "given": lexicon.words("ner_given_names") | {"".join(g.split()) for g in lexicon.words("ner_given_names")},
        "speaker_roles": lexicon.words("speaker_roles"),
        "speaker_institutions": lexicon.words("speaker_institutions"),
    }


def _strip_al(tok: str) -> str:
    return tok[2:] if tok.startswith("ال") and len(tok) > 4 else tok


def speaker_kind(name: str, label: str | None = None, lexicon: Lexicon | None = None) -> str:
    """Which board a speaker belongs on: one of :data:`KINDS`.

    ``label`` is the entity label of the speaker's span when the tagger named
    it (PERS, ORG, LOC, MISC), else None. The lexicon decides first for what
    is never a name (garbage, anonymous sources), then the label, then the
    words of the name (a title, an organization noun, a known given name).
    """
    lex = lexicon or load_lexicon()
    words = _kind_words(lex)
    norm = " ".join(_NON_LETTER.sub(" ", normalize_word(name)).split())
    tokens = norm.split()
    if not tokens or all(len(t) <= 2 for t in tokens):
        return "garbage"  # letters and initials (م, أف أم)
    if norm in words["garbage"] or (len(tokens) == 1 and _strip_al(tokens[0]) in words["garbage"]):
        return "garbage"
    if len(tokens) == 1 and normalize_word("ال" + tokens[0]) in words["garbage"]:
        return "garbage"
    first = tokens[0]
    anon = words["anonymous"]
    if norm in anon or first in anon or " ".join(tokens[:2]) in anon:
        return "anonymous"
    if len(tokens) == 1 and (first in words["institution"] or ("ال" + first) in words["institution"]):
        return "anonymous"  # صحيفة, الشركة: which one is not said
    role = words["role"] | words["speaker_roles"]
    if (first in role or ("ال" + first) in role) and not any(
        t in words["given"] or t.startswith("عبد") for t in tokens
    ):
        return "role"  # a title with no name in it (المشرف العام), whatever the tagger said
    if first in words["speaker_institutions"]:
        return "institution"  # قيادة القوات المشتركة, whatever the tagger said
    if label == "PERS":
        return "person"
    if label in ("ORG", "LOC"):
        return "institution"
    if first in words["institution"] or ("ال" + first) in words["institution"]:
        return "anonymous" if len(tokens) == 1 else "institution"
    if first in words["role"] or ("ال" + first) in words["role"]:
        return "role"
    if label == "MISC":
        return "other"
    if len(tokens) >= 2 and (first in words["given"] or first.startswith("عبد")):
        return "person"
    if len(tokens) >= 2 and not first.startswith("ال"):
        return "person"  # two or more words, none a title or a common noun with ال: a name the tagger missed
    return "other"


@dataclass
class Identity:
    """One person or body across the corpus."""

    id: int
    name: str  # the form shown: the most frequent spelling of its fullest key
    key: str
    label: str | None
    variants: list[str] = field(default_factory=list)  # every other surface form seen
    keys: list[str] = field(default_factory=list)


class IdentityResolver:
    """Collects names and ties across a corpus, then resolves them to identities.

    Feed it every surface form with :meth:`add_name` (entity canonicals and
    aliases, speakers) and every within-article grouping with :meth:`add_tie`;
    :meth:`resolve` returns the identities and a map from key to identity.
    """

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or load_lexicon()
        self.forms: dict[str, Counter[str]] = defaultdict(Counter)  # key -> surface form -> count
        self.labels: dict[str, Counter[str]] = defaultdict(Counter)
        self.ties: dict[str, Counter[str]] = defaultdict(Counter)  # short key -> long key -> articles
        self._keys: dict[str, str] = {}

    def key(self, name: str) -> str:
        k = self._keys.get(name)
        if k is None:
            k = self._keys[name] = name_key(name, self.lexicon)
        return k

    def add_name(self, form: str, label: str | None = None, count: int = 1) -> str:
        """Record a surface form (and its entity label, if any); returns its key."""
        form = " ".join(form.split())
        k = self.key(form)
        if k:
            self.forms[k][form] += count
            if label:
                self.labels[k][label] += count
        return k

    def add_tie(self, short: str, long: str, count: int = 1) -> None:
        """An article grouped ``short`` under ``long`` (alias under canonical)."""
        ks, kl = self.key(short), self.key(long)
        if ks and kl and ks != kl and len(ks.split()) < len(kl.split()):
            self.ties[ks][kl] += count

    def resolve(self) -> tuple[list[Identity], dict[str, int]]:
        """Identities (ids from 1, most frequent first) and key -> identity id."""
        parent: dict[str, str] = {k: k for k in self.forms}

        def find(k: str) -> str:
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        def label(k: str) -> str | None:
            c = self.labels.get(k)
            return c.most_common(1)[0][0] if c else None

        # a name with its middle parts left out (عبدالله الربيعة for عبدالله بن عبدالعزيز الربيعة)
        # is tied to every longer name of the corpus that has its first and last words around it
        ties = defaultdict(Counter, {k: Counter(v) for k, v in self.ties.items()})
        by_ends: dict[tuple[str, str], list[tuple[str, ...]]] = defaultdict(list)
        for k in self.forms:
            toks = tuple(k.split())
            if len(toks) >= 3:
                by_ends[(toks[0], toks[-1])].append(toks)
        for k in list(self.forms):
            toks = tuple(k.split())
            if len(toks) < 2:
                continue
            for longer in by_ends.get((toks[0], toks[-1]), ()):
                if len(longer) > len(toks) and _subsequence(toks, longer):
                    ties[k][" ".join(longer)] += 1

        # longest keys first, so that a partial name sees the identities its ties settled into
        for short in sorted(ties, key=lambda k: (-len(k.split()), k)):
            if short not in parent:
                continue
            # judged on its words alone: the tagger labels a bare role (المفتي) PERS too
            if speaker_kind(self.forms[short].most_common(1)[0][0], None, self.lexicon) in _NOT_NAMES:
                continue  # a role or a source noun (الوزير, المصدر) stands for many people
            votes: Counter[str] = Counter()
            given_name_only = " " not in short and label(short) in (None, "PERS")
            if given_name_only and short in _kind_words(self.lexicon)["given"]:
                continue  # عبدالرحمن, عباس alone: a given name many people share
            for long_key, n in ties[short].items():
                if given_name_only and long_key.rsplit(" ", 1)[-1] != short:
                    continue  # a bare given name (ناصر) is too common to stand for one person corpus-wide
                if long_key in parent:
                    votes[find(long_key)] += n
            if not votes:
                continue
            target, n = votes.most_common(1)[0]
            if n < DOMINANT * sum(votes.values()):
                continue  # the corpus ties this partial name to several identities: keep it apart
            ls, lt = label(short), label(target)
            if ls and lt and ls != lt:
                continue
            if find(short) != target:
                parent[find(short)] = target

        groups: dict[str, list[str]] = defaultdict(list)
        for k in self.forms:
            groups[find(k)].append(k)
        total = {root: sum(sum(self.forms[k].values()) for k in ks) for root, ks in groups.items()}
        identities: list[Identity] = []
        key_to_id: dict[str, int] = {}
        for i, root in enumerate(sorted(groups, key=lambda r: (-total[r], r)), 1):
            ks = groups[root]
            # the shown name: the fullest key (most tokens, then most frequent), its commonest spelling
            head = max(ks, key=lambda k: (len(k.split()) > 1, sum(self.forms[k].values()), len(k.split()), k))
            name = self.forms[head].most_common(1)[0][0]
            labels: Counter[str] = Counter()
            for k in ks:
                labels.update(self.labels.get(k, {}))
            variants = sorted({f for k in ks for f in self.forms[k]} - {name})
            identities.append(Identity(i, name, head, labels.most_common(1)[0][0] if labels else None,
                                       variants, sorted(ks)))
            for k in ks:
                key_to_id[k] = i
        return identities, key_to_id


def _subsequence(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    it = iter(long)
    return all(tok in it for tok in short)


def count_identities(names: Iterable[str], lexicon: Lexicon | None = None) -> tuple[int, int]:
    """(distinct surface forms, distinct keys) of ``names``: what spelling alone merges."""
    forms = {" ".join(n.split()) for n in names}
    return len(forms), len({name_key(f, lexicon) for f in forms})
