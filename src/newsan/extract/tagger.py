"""The embedded Arabic NER tagger: a linear-chain CRF (python-crfsuite).

:func:`default_tagger` is the CRF; :func:`combined_tagger` adds the neural
network of :mod:`newsan.extract.neural` to its scores and propagates names
within the text (``--ner crf+nn``).

The tagger takes word tokens exactly as ``simple_word_tokenize`` produces them
(clitics attached, diacritics and tatweel possible) and returns one BIO2 label
per token from ``O``, ``B-/I-PERS``, ``B-/I-LOC``, ``B-/I-ORG``, ``B-/I-MISC``.

Everything that decides what the model sees lives here, so training
(``scripts/train_ner.py``) and tagging share one feature function:

- :func:`normalize_word` folds the spelling variants Arabic news mixes freely
  (diacritics, tatweel, hamzated alefs, alef maksura, teh marbuta);
- :func:`split_proclitics` peels the conjunction/preposition/article prefixes
  (و ف ب ل ك ال) so that ``وبالقاهرة`` and ``القاهرة`` share a stem;
- trigger words (titles, "said", organization heads ...) come from the packaged
  ``lexicons/ner_triggers.yaml``; the name gazetteer is ``models/ner_gazetteer.tsv``,
  built by the training script from CC BY-SA corpora (see ``models/MODEL_CARD.md``).

Per-token cost matters (the analyzer tags ~10M tokens), so every per-word part
of the features is computed once per distinct word and cached; a sentence's
features are concatenations of cached tuples.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import pycrfsuite  # type: ignore[import-untyped]
import yaml

from newsan.extract.bio import spans_from_bio

__all__ = [
    "DEFAULT_DOMAIN",
    "DOMAINS",
    "LABELS",
    "CrfTagger",
    "Lexicons",
    "combined_tagger",
    "clear_packaged",
    "default_tagger",
    "load_lexicons",
    "normalize_word",
    "sentence_features",
    "split_proclitics",
]

LABELS: tuple[str, ...] = (
    "O",
    "B-PERS",
    "I-PERS",
    "B-LOC",
    "I-LOC",
    "B-ORG",
    "I-ORG",
    "B-MISC",
    "I-MISC",
)

MODEL_FILE = "ner.crfsuite"
STAGE1_FILE = "ner_stage1.crfsuite"
META_FILE = "ner_meta.json"
DOC_WINDOW = 10
DOMAIN_PREFIX = "A:"  # news-domain copy of each feature (domain adaptation, see train_ner.py)
#: the copy of each feature private to the projected news of shared/eval/train (train_ner.py --news-domain)
NEWS_PREFIX = "N:"
#: the copy private to ANERcorp's general newswire (train_ner.py --general-domain)
GENERAL_PREFIX = "G:"
GAZETTEER_FILE = "ner_gazetteer.tsv"
CLUSTERS_FILE = "ner_clusters.tsv"
TRIGGERS_FILE = "ner_triggers.yaml"
GIVEN_NAMES_FILE = "ner_given_names.yaml"
NAMES_FILE = "ner_names.tsv"

# --- normalization -----------------------------------------------------------

_DIACRITICS = (
    "\u0610\u0611\u0612\u0613\u0614\u0615\u0616\u0617\u0618\u0619\u061a"
    + "".join(chr(c) for c in range(0x064B, 0x0660))
    + "\u0670\u06d6\u06d7\u06d8\u06d9\u06da\u06db\u06dc\u06df\u06e0\u06e1\u06e2\u06e3\u06e4\u06e7\u06e8\u06ea\u06eb\u06ec\u06ed"
)
# Invisible format characters that news text carries around words.
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad"
_TATWEEL = "\u0640"

_FOLD = str.maketrans(
    {
        **{c: None for c in _DIACRITICS + _INVISIBLE + _TATWEEL},
        "\u0623": "\u0627",  # أ -> ا
        "\u0625": "\u0627",  # إ -> ا
        "\u0622": "\u0627",  # آ -> ا
        "\u0671": "\u0627",  # ٱ -> ا
        "\u0649": "\u064a",  # ى -> ي
        "\u0629": "\u0647",  # ة -> ه
        "\u06cc": "\u064a",  # Persian yeh -> ي
        "\u06a9": "\u0643",  # keheh -> ك
        # Arabic-Indic and Persian digits -> ASCII digits
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)


@functools.lru_cache(maxsize=1 << 14)
def normalize_word(word: str) -> str:
    """Return the matching form of ``word``: the key every feature and lexicon uses.

    Removes diacritics, tatweel and invisible marks, folds أ إ آ ٱ to ا,
    ى to ي and ة to ه, maps Arabic-Indic digits to ASCII and lower-cases Latin.
    Presentation forms (e.g. ﻻ) are first decomposed with NFKC.

    >>> normalize_word("الرَّئِيسُ")
    'الرئيس'
    """
    if not word.isascii():
        if any("\ufb50" <= ch <= "\ufeff" for ch in word):
            word = unicodedata.normalize("NFKC", word)
        word = word.translate(_FOLD)
    return word.lower()


# Proclitic sequences (already normalized), longest first. The stem left after
# stripping must keep at least two letters (three after a bare ل/ب/ك/و/ف), so
# that short words such as "ولد" or "بل" are left alone.
_PROCLITICS: tuple[str, ...] = tuple(
    sorted(
        {
            "وال",
            "فال",
            "بال",
            "كال",
            "لل",
            "ولل",
            "فلل",
            "وبال",
            "فبال",
            "وكال",
            "فكال",
            "ال",
            "وب",
            "فب",
            "ول",
            "فل",
            "وك",
            "فك",
            "و",
            "ف",
            "ب",
            "ل",
            "ك",
        },
        key=len,
        reverse=True,
    )
)


@functools.lru_cache(maxsize=1 << 14)
def split_proclitics(norm: str) -> tuple[str, str]:
    """Split a normalized word into (proclitics, stem).

    ``لل`` is the contraction of ل + ال, so its stem gets the article back
    (``للرئيس`` -> ``("لل", "الرئيس")``) to match the bare definite form.

    >>> split_proclitics("وبالقاهره")
    ('وبال', 'القاهره')
    >>> split_proclitics("ولد")
    ('', 'ولد')
    """
    for pre in _PROCLITICS:
        if norm.startswith(pre):
            rest = norm[len(pre) :]
            need = 3 if len(pre) == 1 else 2
            if len(rest) < need:
                continue
            if pre.endswith("ال"):
                return pre, "ال" + rest
            if pre.endswith("لل"):
                return pre, "ال" + rest
            return pre, rest
    return "", norm


def _bare(stem: str) -> str:
    """The stem without its definite article (``القاهره`` -> ``قاهره``)."""
    if stem.startswith("ال") and len(stem) > 4:
        return stem[2:]
    return stem


_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
_LATIN = re.compile(r"[a-z]")


def _is_word(token: str) -> bool:
    """True when the token has a letter or a digit (is not pure punctuation)."""
    return any(ch.isalnum() for ch in token)


def _shape(norm: str) -> str:
    if not norm:
        return "empty"
    if norm.isdigit():
        return "digits"
    if _ARABIC_LETTER.search(norm):
        return "arabic" if norm.isalpha() else "arabic_mixed"
    if _LATIN.search(norm):
        return "latin"
    if any(ch.isdigit() for ch in norm):
        return "numeric"
    return "punct"


# --- lexicons ----------------------------------------------------------------


class Lexicons:
    """Trigger words and the name gazetteer, both keyed by normalized stems.

    ``triggers`` maps a stem (bare, without ال) to trigger classes such as
    ``title`` or ``org_head``; ``gazetteer`` maps a stem to gazetteer classes
    (``PERS``, ``LOC`` ...) and ``bigrams`` maps a pair of stems to classes.
    ``clusters`` maps a stem to its word-cluster ids at a few granularities.
    """

    def __init__(
        self,
        triggers: Mapping[str, Iterable[str]],
        gazetteer: Mapping[str, Iterable[str]],
        bigrams: Mapping[tuple[str, str], Iterable[str]],
        clusters: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.triggers = {k: tuple(sorted(set(v))) for k, v in triggers.items()}
        self.gazetteer = {k: tuple(sorted(set(v))) for k, v in gazetteer.items()}
        self.bigrams = {k: tuple(sorted(set(v))) for k, v in bigrams.items()}
        self.clusters = {k: tuple(v) for k, v in (clusters or {}).items()}

    @classmethod
    def empty(cls) -> Lexicons:
        """No triggers, no gazetteer, no clusters (for tests and ablations)."""
        return cls({}, {}, {})


def parse_triggers(data: Mapping[str, Sequence[str]]) -> dict[str, set[str]]:
    """Turn the trigger YAML mapping (class -> words) into stem -> classes."""
    out: dict[str, set[str]] = {}
    for section, words in data.items():
        cls = section.removeprefix("ner_")
        for word in words:
            key = _bare(normalize_word(str(word)))
            out.setdefault(key, set()).add(cls)
    return out


def parse_gazetteer(lines: Iterable[str]) -> tuple[dict[str, set[str]], dict[tuple[str, str], set[str]]]:
    """Parse gazetteer TSV lines ``entry<TAB>LABEL``; an entry is one or two stems."""
    unigrams: dict[str, set[str]] = {}
    bigrams: dict[tuple[str, str], set[str]] = {}
    for line in lines:
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        entry, label = line.split("\t")
        parts = entry.split(" ")
        if len(parts) == 1:
            unigrams.setdefault(parts[0], set()).add(label)
        elif len(parts) == 2:
            bigrams.setdefault((parts[0], parts[1]), set()).add(label)
    return unigrams, bigrams


def parse_clusters(lines: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Parse cluster TSV lines ``stem<TAB>id<TAB>id...`` (coarse to fine)."""
    out: dict[str, tuple[str, ...]] = {}
    for line in lines:
        if not line or line.startswith("#"):
            continue
        word, *ids = line.rstrip("\n").split("\t")
        out[word] = tuple(ids)
    return out


def _read_model_text(name: str, path: Path | None) -> str:
    """A packaged model-side text file, or ``path`` (empty text if it is missing)."""
    if path is None:
        ref = resources.files("newsan.models").joinpath(name)
        return ref.read_text(encoding="utf-8") if ref.is_file() else ""
    return path.read_text(encoding="utf-8") if path.exists() else ""


def load_lexicons(
    triggers_path: Path | None = None,
    gazetteer_path: Path | None = None,
    clusters_path: Path | None = None,
    names_path: Path | None = None,
) -> Lexicons:
    """Load triggers, gazetteer and clusters; packaged files unless paths are given.

    The hand-written given names (``lexicons/ner_given_names.yaml``) join the
    gazetteer under the class ``FIRST``, the person-name words of
    ``models/ner_names.tsv`` under ``NAME``.
    """
    lexicons = resources.files("newsan.lexicons")
    if triggers_path is None:
        text = lexicons.joinpath(TRIGGERS_FILE).read_text(encoding="utf-8")
    else:
        text = triggers_path.read_text(encoding="utf-8")
    triggers = parse_triggers(yaml.safe_load(text) or {})
    unigrams, bigrams = parse_gazetteer(_read_model_text(GAZETTEER_FILE, gazetteer_path).splitlines())
    given = yaml.safe_load(lexicons.joinpath(GIVEN_NAMES_FILE).read_text(encoding="utf-8")) or {}
    for name in given.get("ner_given_names", ()):
        unigrams.setdefault(_bare(normalize_word(str(name))), set()).add("FIRST")
    for line in _read_model_text(NAMES_FILE, names_path).splitlines():
        if line and not line.startswith("#"):
            unigrams.setdefault(line, set()).add("NAME")
    clusters = parse_clusters(_read_model_text(CLUSTERS_FILE, clusters_path).splitlines())
    return Lexicons(triggers, unigrams, bigrams, clusters)


# --- features ----------------------------------------------------------------


class FeatureExtractor:
    """Turns a sentence of raw tokens into crfsuite feature lists.

    Word-level parts are cached per distinct word (``_own`` for the token
    itself, ``_ctx`` for the same word seen from a neighbour position), so the
    per-token work at tagging time is a few dict lookups and list joins.
    """

    def __init__(self, lexicons: Lexicons, evidence: Any = None) -> None:
        self.lex = lexicons
        #: optional sentence-level evidence: tokens -> extra features per token
        #: (the lexicon passes of :class:`newsan.extract.entities.LexiconEvidence`)
        self.evidence = evidence
        # Small: the fast path keeps each word's summed scores, so these parts are
        # asked for again only by the crfsuite path or after that cache is trimmed.
        self._own = functools.lru_cache(maxsize=1 << 12)(self._own_uncached)
        self._ctx = functools.lru_cache(maxsize=1 << 14)(self._ctx_uncached)
        self._info = functools.lru_cache(maxsize=1 << 14)(self._info_uncached)

    def _info_uncached(
        self, word: str
    ) -> tuple[str, str, str, str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """(norm, proclitics, stem, bare stem, shape, gazetteer classes, trigger classes, clusters)."""
        norm = normalize_word(word)
        pre, stem = split_proclitics(norm)
        if pre and not self._known(_bare(stem)) and self._known(_bare(norm)):
            # فرنسا, وزير, لبنان start with a letter that looks like a proclitic:
            # keep the word whole when the lexicons know it and not the remainder.
            pre, stem = "", norm
        bare = _bare(stem)
        shape = _shape(norm)
        gaz = self.lex.gazetteer.get(bare, ())
        trig = self.lex.triggers.get(bare, ())
        clus = self.lex.clusters.get(bare, ())
        return norm, pre, stem, bare, shape, gaz, trig, clus

    def _known(self, key: str) -> bool:
        lex = self.lex
        return key in lex.clusters or key in lex.gazetteer or key in lex.triggers

    def _own_uncached(self, word: str) -> tuple[str, ...]:
        return self.own_features(word, self._info(word))

    def own_features(self, word: str, info: tuple[Any, ...]) -> tuple[str, ...]:
        """The word's own features, from its :meth:`_info_uncached` tuple."""
        norm, pre, stem, bare, shape, gaz, trig, clus = info
        f = [
            "bias",
            "w=" + norm,
            "s=" + stem,
            "b=" + bare,
            "pre=" + pre,
            "sh=" + shape,
            "len=" + str(min(len(bare), 8)),
            "al=" + ("1" if stem.startswith("ال") else "0"),
        ]
        for k in (1, 2, 3):
            if len(bare) > k:
                f.append(f"p{k}={bare[:k]}")
                f.append(f"x{k}={norm[-k:]}")
        if len(norm) > 4:
            f.append("x4=" + norm[-4:])
        f.extend("g=" + g for g in gaz)
        f.extend("t=" + t for t in trig)
        f.extend(f"c{k}={c}" for k, c in enumerate(clus))
        if word.isascii() and word[:1].isupper():
            f.append("cap")
        return tuple(f)

    def _ctx_uncached(self, word: str, offset: int) -> tuple[str, ...]:
        o = str(offset)
        near = abs(offset) == 1
        return tuple(o + f for f, near_only in self.ctx_parts(self._info(word)) if near or not near_only)

    def ctx_parts(self, info: tuple[Any, ...]) -> list[tuple[str, bool]]:
        """The features a word gives its neighbours, from its
        :meth:`_info_uncached` tuple, without the offset that prefixes them
        (``w=…`` is ``-1w=…`` seen from the next word), each with whether only the
        adjacent words (-1, +1) see it."""
        norm, pre, _stem, bare, shape, gaz, trig, clus = info
        f = [("w=" + norm, False), ("b=" + bare, False), ("sh=" + shape, False), ("pre=" + pre, True)]
        if len(norm) > 2:
            f.append(("x2=" + norm[-2:], True))
        f.extend(("g=" + g, False) for g in gaz)
        f.extend(("t=" + t, False) for t in trig)
        f.extend((f"c{k}={c}", True) for k, c in enumerate(clus))
        return f

    def bares(self, tokens: Sequence[str]) -> list[str]:
        """The bare normalized stem of each token (the key for document memory)."""
        return [self._info(t)[3] for t in tokens]

    def sentence(self, tokens: Sequence[str]) -> list[list[str]]:
        """Feature lists (one per token) for one sentence."""
        n = len(tokens)
        infos = [self._info(t) for t in tokens]
        bares = [i[3] for i in infos]
        # Two-word gazetteer hits mark both words.
        bigram_feats: list[list[str]] = [[] for _ in range(n)]
        if self.lex.bigrams:
            for i in range(n - 1):
                hit = self.lex.bigrams.get((bares[i], bares[i + 1]))
                if hit:
                    for g in hit:
                        bigram_feats[i].append("g2B=" + g)
                        bigram_feats[i + 1].append("g2I=" + g)
        out: list[list[str]] = []
        for i, tok in enumerate(tokens):
            f = list(self._own(tok))
            for off in (-2, -1, 1, 2):
                j = i + off
                if 0 <= j < n:
                    f.extend(self._ctx(tokens[j], off))
                elif off in (-1, 1):
                    f.append("BOS" if off < 0 else "EOS")
            if i > 0:
                f.append("b-1|b=" + bares[i - 1] + "|" + bares[i])
            if i + 1 < n:
                f.append("b|b+1=" + bares[i] + "|" + bares[i + 1])
            f.extend(bigram_feats[i])
            out.append(f)
        if self.evidence is not None:
            for f, extra in zip(out, self.evidence(tokens), strict=True):
                f.extend(extra)
        return out


def sentence_features(tokens: Sequence[str], lexicons: Lexicons | None = None) -> list[list[str]]:
    """Features of one sentence with the packaged lexicons (or the given ones)."""
    ext = _default_extractor() if lexicons is None else FeatureExtractor(lexicons)
    return ext.sentence(tokens)


@functools.cache
def _default_extractor() -> FeatureExtractor:
    return FeatureExtractor(load_lexicons())


# --- tagger ------------------------------------------------------------------


def _entity_type(tag: str) -> str:
    return tag[2:] if len(tag) > 2 else ""


def stacked_features(
    bares: Sequence[Sequence[str]], stage1: Sequence[Sequence[str]], window: int
) -> list[list[list[str]]]:
    """Second-stage features from first-stage labels (stacking + document memory).

    For each token: its own and its neighbours' first-stage labels, and, as
    "document" evidence, the entity types the first stage gave to the same
    bare stem elsewhere within ``window`` sentences on either side (the same
    name is often recognized in one sentence and missed in another; Krishnan
    & Manning 2006). A sliding window keeps the cost linear in the tokens.
    """
    n = len(bares)
    memory: dict[str, dict[str, int]] = {}

    def update(k: int, delta: int) -> None:
        for b, t in zip(bares[k], stage1[k], strict=True):
            ty = _entity_type(t)
            if ty and len(b) > 1:
                counts = memory.setdefault(b, {})
                counts[ty] = counts.get(ty, 0) + delta

    for k in range(min(window, n)):
        update(k, 1)
    out: list[list[list[str]]] = []
    for i in range(n):
        if i + window < n:
            update(i + window, 1)
        if i - window - 1 >= 0:
            update(i - window - 1, -1)
        tags = stage1[i]
        sent: list[list[str]] = []
        m = len(tags)
        for j, (b, t) in enumerate(zip(bares[i], tags, strict=True)):
            f = ["s1=" + t, "s1-1=" + (tags[j - 1] if j else "BOS"), "s1+1=" + (tags[j + 1] if j + 1 < m else "EOS")]
            counts = memory.get(b)
            if counts:
                own = _entity_type(t)
                best, best_n = "", 0
                for ty, c in counts.items():
                    c -= ty == own  # other mentions only
                    if c > 0:
                        f.append("d=" + ty)
                        if c > best_n:
                            best, best_n = ty, c
                if best:
                    f.append("dmaj=" + best)
            sent.append(f)
        out.append(sent)
    return out


#: Padded cells (sentences x positions) one :func:`viterbi_batch` step group may
#: allocate; each cell holds a score and a back-pointer per label (about 150 bytes
#: with 9 labels), so a group stays under about 40 MB whatever the document.
VITERBI_CELLS = 1 << 18


def viterbi_batch(
    emissions: Sequence[Any], trans: Any, start: Any = None, end: Any = None, max_cells: int = VITERBI_CELLS
) -> list[list[int]]:
    """:func:`viterbi` for several sentences at once (same paths, same tie-breaking).

    Sentences are sorted by length and decoded in groups of similar length that
    advance together, one NumPy step per position of the group's longest, so a
    document costs about as many steps as its longest sentence has words rather
    than as many as all its words. A group is cut before its padded size
    (sentences x longest) passes ``max_cells``: memory and wasted work stay
    bounded by the document's size, not by sentences x longest sentence.
    """
    order = sorted(range(len(emissions)), key=lambda r: len(emissions[r]))
    paths: list[list[int]] = [[] for _ in emissions]
    group: list[int] = []
    for r in order:
        # sorted ascending: the newcomer is the group's longest
        if group and (len(group) + 1) * len(emissions[r]) > max_cells:
            for k, path in zip(group, _viterbi_group([emissions[k] for k in group], trans, start, end), strict=True):
                paths[k] = path
            group = []
        group.append(r)
    if group:
        for k, path in zip(group, _viterbi_group([emissions[k] for k in group], trans, start, end), strict=True):
            paths[k] = path
    return paths


def _viterbi_group(emissions: Sequence[Any], trans: Any, start: Any = None, end: Any = None) -> list[list[int]]:
    import numpy as np

    lengths = np.array([len(e) for e in emissions])
    b, t, n_labels = len(emissions), int(lengths.max()), trans.shape[0]
    em = np.zeros((t, b, n_labels))
    for r, e in enumerate(emissions):
        em[: len(e), r] = e
    score = em[0] if start is None else em[0] + start
    back = np.zeros((t, b, n_labels), dtype=np.intp)
    for i in range(1, t):
        cand = score[:, :, None] + trans  # (b, previous label, label)
        back[i] = cand.argmax(axis=1)
        step = cand.max(axis=1) + em[i]
        score = np.where((lengths > i)[:, None], step, score)  # finished sentences keep their score
    if end is not None:
        score = score + end
    paths: list[list[int]] = []
    for r, n in enumerate(lengths.tolist()):
        k = int(score[r].argmax())
        path = [k]
        for i in range(n - 1, 0, -1):
            k = int(back[i, r, k])
            path.append(k)
        path.reverse()
        paths.append(path)
    return paths


def propagate_labels(
    bares: Sequence[Sequence[str]], tags: Sequence[Sequence[str]], window: int, max_len: int = 3
) -> list[list[str]]:
    """Give a name the label it got elsewhere in the same stretch of text.

    A name the tagger recognized in one sentence is often missed in another
    (a club named twice in a match report, a company in a business story).
    For each sentence, the names (up to ``max_len`` words, matched by bare
    stem) found within ``window`` sentences on either side are looked for
    among its untagged words; a match that stands alone (untagged words or
    sentence edges on both sides) takes the majority label. The same
    document-consistency idea as Krishnan & Manning (2006), applied at
    decoding time. One-word names need a stem of three letters or more.
    """
    n = len(bares)
    memory: dict[tuple[str, ...], dict[str, int]] = {}

    def update(k: int, delta: int) -> None:
        for label, s, e in spans_from_bio(tags[k]):
            key = tuple(bares[k][s:e])
            if e - s > max_len or (e - s == 1 and len(key[0]) < 3):
                continue
            counts = memory.setdefault(key, {})
            counts[label] = counts.get(label, 0) + delta

    for k in range(min(window, n)):
        update(k, 1)
    out: list[list[str]] = []
    for i in range(n):
        if i + window < n:
            update(i + window, 1)
        if i - window - 1 >= 0:
            update(i - window - 1, -1)
        sent = list(tags[i])
        b = bares[i]
        m = len(sent)
        j = 0
        while j < m:
            if sent[j] != "O" or (j and sent[j - 1] != "O"):
                j += 1
                continue
            for length in range(min(max_len, m - j), 0, -1):
                counts = memory.get(tuple(b[j : j + length]))
                if not counts or any(t != "O" for t in sent[j : j + length]):
                    continue
                if j + length < m and sent[j + length] != "O":
                    continue
                label, c = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
                if c <= 0:
                    continue
                sent[j] = "B-" + label
                for q in range(j + 1, j + length):
                    sent[q] = "I-" + label
                j += length - 1
                break
            j += 1
        out.append(sent)
    return out


class _FastCrf:
    """Viterbi decoding of a crfsuite model with per-word cached emission scores.

    A linear-chain CRF scores a label sequence as the sum of state weights
    (attribute, label) plus transition weights (label, label). Every attribute
    set produced by :meth:`FeatureExtractor.sentence` splits into parts that
    depend on one word only (``_own`` and ``_ctx``), so their label-score
    vectors are summed once per distinct word and cached; a sentence then costs
    a few vector additions per token and a 9x9 Viterbi step. The result equals
    ``pycrfsuite.Tagger.tag`` on the same features (up to exact score ties),
    at several times its speed, because crfsuite's per-string attribute lookup
    is skipped for every cached word.
    """

    def __init__(
        self, tagger: pycrfsuite.Tagger, extractor: FeatureExtractor, domain_prefix: str | None = None
    ) -> None:
        import numpy as np

        self._np = np
        info = tagger.info()
        self.labels = list(tagger.labels())
        index = {lab: k for k, lab in enumerate(self.labels)}
        n_labels = len(self.labels)
        # One row of label scores per attribute, in one matrix (row 0: unknown attribute).
        # With a domain prefix (feature augmentation, Daume 2007) the tagger sees each
        # attribute and its copy ``prefix + attribute``: both weights go into one row,
        # so the domain copy costs nothing at tagging time; other domains' copies
        # (``W:`` ...) are left out.
        attrs: dict[str, int] = {}
        cells: list[tuple[int, int, float]] = []
        for (attr, label), weight in info.state_features.items():
            if domain_prefix and attr.startswith(domain_prefix):
                attr = attr[len(domain_prefix) :]
            elif _DOMAIN_COPY.match(attr):
                continue
            row = attrs.setdefault(attr, len(attrs) + 1)
            cells.append((row, index[label], weight))
        weights = np.zeros((len(attrs) + 1, n_labels))
        for row, col, weight in cells:
            weights[row, col] += weight
        self._attrs = attrs
        self._weights = weights
        self._trans = np.zeros((n_labels, n_labels))
        for (a, b), weight in info.transitions.items():
            self._trans[index[a], index[b]] = weight
        self._ext = extractor
        self._bos = weights[attrs.get("BOS", 0)]
        self._eos = weights[attrs.get("EOS", 0)]
        # The word cache: each distinct word's five rows of label scores (its own
        # features, and as seen from the neighbours at -2, -1, +1, +2) in one slab,
        # word -> (slot, bare stem); freed slots are reused.
        self._slots: dict[str, tuple[int, str]] = {}
        self._slab = np.empty((0, 5, n_labels))
        self._free: list[int] = []
        self._seen: set[str] = set()  # cached words looked up again since they came in
        # Attributes read through tables: the two-word features b-1|b and b|b+1
        # share their key (the two bare stems), one lookup gives both rows; the
        # features a word gives its neighbours (-2w=…, -1w=…, 1w=…, 2w=…) by their
        # unprefixed form, one lookup gives the four rows (0: none). The rest (a
        # word's own features, g2B=/g2I=, BOS/EOS, evidence) are looked up by name.
        pairs: dict[str, list[int]] = {}
        ctx: dict[str, list[int]] = {}
        named: dict[str, int] = {}
        for attr, row in attrs.items():
            offset = attr[:2] if attr[:1] == "-" else attr[:1]
            kind, _, pair = attr.partition("=")
            if offset in _CTX_OFFSETS:
                ctx.setdefault(attr[len(offset) :], [0, 0, 0, 0])[_CTX_OFFSETS[offset]] = row
            elif kind in _PAIR_KINDS:
                pairs.setdefault(pair, [0, 0])[_PAIR_KINDS[kind]] = row
            else:
                named[attr] = row
        self._pairs = {key: (rows[0], rows[1]) for key, rows in pairs.items()}
        self._ctx_rows = {f: tuple(rows) for f, rows in ctx.items()}
        self._attrs = named

    CACHE_WORDS = 1 << 15  # words; a (5, L) float64 slot each: about 12 MB when full
    # Tokens scored at once, and new words summed at once. Both keep each working
    # array under glibc's 128 KB mmap threshold: larger short-lived arrays, freed
    # again and again, raise that threshold and leave a fragmented heap (about
    # 10 MB more resident memory per worker after 10,000 articles).
    CHUNK_TOKENS = 256
    CHUNK_WORDS = 16

    def _new_rows(self, words: Sequence[str], infos: Sequence[tuple[Any, ...]]) -> Any:
        """(m, 5, L): the summed label scores of each word's feature groups."""
        ext = self._ext
        get = self._attrs.get
        # the uncached builders: the word cache already keeps each word once (the
        # extractor's lru_caches would only hold a second copy)
        own, ctx_parts = ext.own_features, ext.ctx_parts
        ctx_get = self._ctx_rows.get
        none = (0, 0, 0, 0)
        ids: list[int] = []
        starts: list[int] = []
        for word, info in zip(words, infos, strict=True):
            starts.append(len(ids))
            ids.extend([get(a, 0) for a in own(word, info)])
            looked = [(ctx_get(f, none), near_only) for f, near_only in ctx_parts(info)]
            for k in range(4):  # -2, -1, +1, +2: the features in _ctx_uncached's order
                starts.append(len(ids))
                if k in (1, 2):
                    ids.extend([rows[k] for rows, _ in looked])
                else:
                    ids.extend([rows[k] for rows, near_only in looked if not near_only])
        rows = self._np.add.reduceat(self._weights[ids], starts, axis=0)
        return rows.reshape(len(words), 5, -1)

    def _rows(self, tokens: Sequence[str]) -> tuple[Any, list[str]]:
        """(n, 5, L) rows of the tokens and their bare stems, through the word cache."""
        np = self._np
        slots = self._slots
        n = len(tokens)
        index = [0] * n
        bares: list[str] = [""] * n
        missed: dict[str, list[int]] = {}
        seen_add = self._seen.add
        for k, word in enumerate(tokens):
            hit = slots.get(word)
            if hit is None:
                missed.setdefault(word, []).append(k)
            else:
                index[k], bares[k] = hit
                seen_add(word)
        rows = self._slab[np.array(index, dtype=np.intp)] if len(self._slab) else np.zeros((n, 5, len(self.labels)))
        if missed:
            words = list(missed)
            infos = [self._ext._info_uncached(w) for w in words]
            step = self.CHUNK_WORDS
            fresh = np.concatenate(
                [self._new_rows(words[k : k + step], infos[k : k + step]) for k in range(0, len(words), step)]
            )
            new_bares = [info[3] for info in infos]
            for row, bare, where in zip(fresh, new_bares, missed.values(), strict=True):
                rows[where] = row
                for k in where:
                    bares[k] = bare
            self._keep(words, fresh, new_bares)
        return rows, bares

    def _keep(self, words: list[str], fresh: Any, bares: list[str]) -> None:
        """Put new words' rows into the slab; when it would overflow
        ``CACHE_WORDS``, forget the older half of the cache first (more if that is
        not enough)."""
        np = self._np
        slots = self._slots
        room = self.CACHE_WORDS
        words, fresh, bares = words[:room], fresh[:room], bares[:room]
        if len(slots) + len(words) > room:
            # the older half goes, but a word seen again since it came in (or since
            # its last reprieve) moves to the young end instead, once: the cache
            # keeps the frequent words that a corpus's stream of rare ones would push
            # out (a miss rate of 15 % instead of 18 % on Saudi news)
            drop = max(len(slots) // 2, len(slots) + len(words) - room)
            seen = self._seen
            while drop:
                for key in list(slots):
                    if not drop:
                        break
                    if key in seen:
                        seen.discard(key)
                        slots[key] = slots.pop(key)
                    else:
                        self._free.append(slots.pop(key)[0])
                        drop -= 1
        if not len(self._slab):
            # the whole slab at once: its pages are only touched (and resident) as
            # slots fill up, and it is never copied or freed
            self._slab = np.empty((room, *self._slab.shape[1:]))
            self._free = list(range(room - 1, -1, -1))
        taken = [self._free.pop() for _ in words]
        self._slab[taken] = fresh
        for word, slot, bare in zip(words, taken, bares, strict=True):
            slots[word] = (slot, bare)

    def emissions(self, tokens: Sequence[str]) -> Any:
        """Label scores (n, L) of one (non-empty) sentence, in ``self.labels`` order."""
        return self.emissions_batch([tokens])[0]

    def emissions_batch(self, sentences: Sequence[Sequence[str]]) -> list[Any]:
        """:meth:`emissions` of each (non-empty) sentence, scored together in
        chunks of about ``CHUNK_TOKENS`` tokens."""
        out: list[Any] = []
        chunk: list[Sequence[str]] = []
        size = 0
        for sent in sentences:
            if chunk and size + len(sent) > self.CHUNK_TOKENS:
                out.extend(self._emissions_chunk(chunk))
                chunk, size = [], 0
            chunk.append(sent)
            size += len(sent)
        if chunk:
            out.extend(self._emissions_chunk(chunk))
        return out

    def _emissions_chunk(self, sentences: Sequence[Sequence[str]]) -> list[Any]:
        np = self._np
        tokens = [t for sent in sentences for t in sent]
        lengths = [len(sent) for sent in sentences]
        ends = np.cumsum(lengths)
        begins = ends - lengths
        n = len(tokens)
        w, bares = self._rows(tokens)
        # position of each token in its sentence, and the sentence's length
        pos = np.arange(n) - np.repeat(begins, lengths)
        left = np.repeat(lengths, lengths) - pos - 1  # tokens after it in its sentence
        em = w[:, 0].copy()
        em[begins] += self._bos
        em[ends - 1] += self._eos
        # the same additions, in the same order, as one sentence at a time
        k = np.flatnonzero(pos >= 1)
        em[k] += w[k - 1, 2]  # the word before, seen from -1
        k = np.flatnonzero(left >= 1)
        em[k] += w[k + 1, 3]  # the word after, seen from +1
        k = np.flatnonzero(pos >= 2)
        em[k] += w[k - 2, 1]
        k = np.flatnonzero(left >= 2)
        em[k] += w[k + 2, 4]
        pairs = self._pairs.get
        bigrams = self._ext.lex.bigrams.get
        get = self._attrs.get
        at: list[int] = []
        rows: list[int] = []
        first = set(begins.tolist())
        for i in range(1, n):
            if i in first:
                continue
            a, b = bares[i - 1], bares[i]
            both = pairs(a + "|" + b)
            if both is not None:
                if both[0]:
                    at.append(i)
                    rows.append(both[0])
                if both[1]:
                    at.append(i - 1)
                    rows.append(both[1])
            hit = bigrams((a, b))
            if hit:
                for g in hit:
                    at.append(i)
                    rows.append(get("g2I=" + g, 0))
                    at.append(i - 1)
                    rows.append(get("g2B=" + g, 0))
        if at:
            np.add.at(em, at, self._weights[rows])  # in order, repeated indices included
        parts = np.split(em, ends[:-1])
        evidence = self._ext.evidence
        if evidence is not None:
            for sent, part in zip(sentences, parts, strict=True):
                for i, extra in enumerate(evidence(sent)):
                    for a in extra:
                        row = get(a)
                        if row:
                            part[i] += self._weights[row]
        return parts


_DOMAIN_COPY = re.compile(r"[A-Z]:")
_CTX_OFFSETS = {"-2": 0, "-1": 1, "1": 2, "2": 3}  # FeatureExtractor._ctx_uncached's prefixes
_PAIR_KINDS = {"b-1|b": 0, "b|b+1": 1}  # the two-word features, row 0 and 1 of _FastCrf._pairs


def make_room(cache: dict[Any, Any], incoming: int, room: int) -> None:
    """Bounded memory for a word cache: when ``incoming`` new entries would
    overflow ``room``, forget the older half of it (more if that is not
    enough); dicts keep insertion order, so the oldest go first."""
    if len(cache) + incoming > room:
        drop = max(len(cache) // 2, len(cache) + incoming - room)
        for key in list(itertools.islice(cache, drop)):
            del cache[key]


def viterbi(emissions: Any, trans: Any, start: Any = None, end: Any = None) -> list[int]:
    """Best label path for one sentence: (n, L) label scores, (L, L) transition
    scores and optional (L,) scores for the first and the last label."""
    import numpy as np

    n, n_labels = emissions.shape
    back = np.empty((n, n_labels), dtype=np.intp)
    score = emissions[0] if start is None else start + emissions[0]
    cols = np.arange(n_labels)
    for i in range(1, n):
        cand = score[:, None] + trans
        best = cand.argmax(axis=0)
        back[i] = best
        score = cand[best, cols] + emissions[i]
    if end is not None:
        score = score + end
    k = int(score.argmax())
    path = [k]
    for i in range(n - 1, 0, -1):
        k = int(back[i, k])
        path.append(k)
    path.reverse()
    return path


class CrfTagger:
    """One or two trained crfsuite models plus the feature extractor they share.

    With ``stage1_path`` the tagger stacks two CRFs: the first labels each
    sentence from local features; the second sees those labels for the token,
    its neighbours and other mentions of the same word in nearby sentences
    (see :func:`stacked_features`), which recovers names the first stage
    found elsewhere in the article.

    With ``neural`` (a :class:`newsan.extract.neural.NeuralNer`), the
    network's label scores times ``neural_weight`` are added to the CRF's and
    one Viterbi pass decodes the sum. With ``propagate_window``, names are then
    propagated across that many sentences (:func:`propagate_labels`).

    Implements the analyzer's ``Tagger`` protocol: ``tag_sentences`` returns
    one BIO2 label per input token. Empty sentences give empty label lists.
    Sentences passed in one call are treated as consecutive text.
    """

    def __init__(
        self,
        model_path: str | Path,
        lexicons: Lexicons | None = None,
        stage1_path: str | Path | None = None,
        doc_window: int = DOC_WINDOW,
        domain_prefix: str | None = None,
        o_threshold: float | None = None,
        neural: Any = None,
        neural_weight: float = 1.0,
        propagate_window: int | None = None,
        evidence: Any = None,
    ) -> None:
        self._tagger = _open_tagger(model_path)
        self.domain_prefix = domain_prefix
        self.o_threshold = o_threshold
        self._entity_labels = [lab for lab in self._tagger.labels() if lab != "O"]
        self._stage1 = _open_tagger(stage1_path) if stage1_path is not None else None
        self.extractor = FeatureExtractor(lexicons if lexicons is not None else load_lexicons(), evidence)
        self.doc_window = doc_window
        # The plain configuration (one stage, Viterbi; a domain copy folded in) takes the fast path.
        self._fast = (
            _FastCrf(self._tagger, self.extractor, domain_prefix)
            if stage1_path is None and o_threshold is None
            else None
        )
        if neural is not None and self._fast is None:
            raise ValueError("the neural tagger combines with the plain CRF configuration only")
        self.neural = neural
        self.neural_weight = neural_weight
        self.propagate_window = propagate_window
        # What the fast path decodes: the CRF's scores, or (with the network) the sum
        # of both models' scores in the network's label order.
        self._perm: list[int] | None = None
        self._start = self._end = None
        if self._fast is not None:
            self._labels, self._trans = self._fast.labels, self._fast._trans
        if neural is not None:
            import numpy as np

            assert self._fast is not None
            perm = self._perm = [self._fast.labels.index(lab) for lab in neural.labels]
            self._labels = neural.labels
            self._trans = self._fast._trans[np.ix_(perm, perm)] + neural_weight * neural.transitions
            self._start = neural_weight * neural.start
            self._end = neural_weight * neural.end

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """Labels for one sentence (no neighbouring sentences as context)."""
        return self.tag_sentences([list(tokens)])[0]

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        """Labels for each sentence (the ``Tagger`` protocol)."""
        if self._fast is not None:
            tags = self._tag_fast(sentences)
        else:
            tags = self.tag_sentences_crfsuite(sentences)
        if self.propagate_window is not None:
            bares = [self.extractor.bares(s) for s in sentences]
            tags = propagate_labels(bares, tags, self.propagate_window)
        return tags

    def _tag_fast(self, sentences: list[list[str]]) -> list[list[str]]:
        """The CRF's cached label scores (plus, with the network, its scores: a
        product of experts), all sentences decoded by one batched Viterbi."""
        fast = self._fast
        assert fast is not None
        idx = [k for k, sent in enumerate(sentences) if sent]
        out: list[list[str]] = [[] for _ in sentences]
        if not idx:
            return out
        scores = fast.emissions_batch([sentences[k] for k in idx])
        if self.neural is not None:
            lam = self.neural_weight
            nn = self.neural.emissions([sentences[k] for k in idx])
            scores = [e[:, self._perm] + lam * n for e, n in zip(scores, nn, strict=True)]
        labels = self._labels
        for k, path in zip(idx, viterbi_batch(scores, self._trans, self._start, self._end), strict=True):
            out[k] = [labels[j] for j in path]
        return out

    def tag_sentences_crfsuite(self, sentences: list[list[str]]) -> list[list[str]]:
        """Labels computed by crfsuite itself from the feature strings (reference path)."""
        feats = [self.extractor.sentence(s) for s in sentences]
        if self._stage1 is not None:
            first = [list(self._stage1.tag(f)) if f else [] for f in feats]
            bares = [self.extractor.bares(s) for s in sentences]
            for f, extra in zip(feats, stacked_features(bares, first, self.doc_window), strict=True):
                for fi, ei in zip(f, extra, strict=True):
                    fi.extend(ei)
        if self.domain_prefix:
            pre = self.domain_prefix
            feats = [[fi + [pre + a for a in fi] for fi in f] for f in feats]
        return [self._decode(f) if f else [] for f in feats]

    def _decode(self, feats: list[list[str]]) -> list[str]:
        """Viterbi labels, then recall boost: where the Viterbi label is O but the
        posterior of O is below ``o_threshold``, take the most probable entity label
        (Minkov et al. 2006 tune the O bias the same way). I-X not continuing X
        becomes B-X."""
        tagger = self._tagger
        tagger.set(feats)
        tags = list(tagger.tag())
        threshold = self.o_threshold
        if threshold is None:
            return tags
        marginal = tagger.marginal
        for j, t in enumerate(tags):
            if t == "O" and marginal("O", j) < threshold:
                tags[j] = max(self._entity_labels, key=lambda lab: marginal(lab, j))
        prev = "O"
        for j, t in enumerate(tags):
            if t[0] == "I" and prev[2:] != t[2:]:
                tags[j] = "B" + t[1:]
            prev = tags[j]
        return tags


def _open_tagger(path: str | Path) -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


#: The text a packaged model can be told it tags: ``news`` (what ``newsan analyze``
#: reads; the default) or ``general`` (ANERcorp's 2006 newswire, the CoNLL files of
#: ``newsan eval ner``). A model trained with a copy of each feature private to
#: one domain (``train_ner.py --news-domain``) folds that copy in for its domain
#: only; ``ner_meta.json`` names the copies (``domain_prefixes``). A model without
#: such copies tags every domain alike.
DOMAINS: tuple[str, ...] = ("news", "general")
DEFAULT_DOMAIN = "news"


def default_tagger(domain: str = DEFAULT_DOMAIN) -> CrfTagger:
    """The packaged CRF (``--ner default``) for ``domain`` (see :data:`DOMAINS`),
    loaded on first use and shared afterwards."""
    return _packaged(False, _check_domain(domain))


def combined_tagger(domain: str = DEFAULT_DOMAIN) -> CrfTagger:
    """The packaged CRF and neural network decoded together, with label
    propagation (``--ner crf+nn``): higher recall on ANERcorp-style text,
    about half the speed (see MODEL_CARD.md)."""
    return _packaged(True, _check_domain(domain))


def _check_domain(domain: str) -> str:
    if domain not in DOMAINS:
        raise ValueError(f"unknown text domain {domain!r} (choose {' | '.join(DOMAINS)})")
    return domain


def clear_packaged() -> None:
    """Forget the loaded packaged taggers (every domain)."""
    _packaged.cache_clear()


def domain_prefix_of(meta: Mapping[str, Any], domain: str) -> str | None:
    """The feature-copy prefix a packaged model uses for ``domain``.

    ``domain_prefixes`` maps each domain to its copy (or null: the shared
    weights alone); a model with a single ``domain_prefix`` (older training
    runs) uses it for every domain.
    """
    prefixes = meta.get("domain_prefixes")
    if prefixes is not None:
        return prefixes.get(_check_domain(domain))
    return meta.get("domain_prefix")


@functools.cache
def _packaged(neural: bool, domain: str = DEFAULT_DOMAIN) -> CrfTagger:
    """The packaged model. ``models/ner_meta.json`` (written by the training
    scripts) says how it was trained: with a first-stage model and/or
    domain-adapted features (whose copy ``domain`` selects), and how the
    network joins the CRF (its weight, the propagation window)."""
    models = resources.files("newsan.models")
    meta = json.loads(models.joinpath(META_FILE).read_text(encoding="utf-8"))
    lexicons = load_lexicons()
    evidence = None
    if meta.get("evidence"):
        from newsan.extract.entities import lexicon_evidence

        evidence = lexicon_evidence()
    network = None
    if neural:
        from newsan.extract.neural import NN_FILE, NN_VOCAB_FILE, NeuralNer

        with (
            resources.as_file(models.joinpath(NN_FILE)) as npz,
            resources.as_file(models.joinpath(NN_VOCAB_FILE)) as vocab,
        ):
            network = NeuralNer.load(npz, vocab, FeatureExtractor(lexicons))
    with (
        resources.as_file(models.joinpath(MODEL_FILE)) as path,
        resources.as_file(models.joinpath(STAGE1_FILE)) as path1,
    ):
        # crfsuite reads the whole model into memory on open, so temporary
        # paths (zip installs) may go away afterwards.
        tagger = CrfTagger(
            path,
            lexicons,
            stage1_path=path1 if meta.get("stage1") else None,
            domain_prefix=domain_prefix_of(meta, domain),
            o_threshold=meta.get("o_threshold"),
            neural=network,
            neural_weight=float(meta.get("neural_weight") or 1.0),
            propagate_window=meta.get("propagate_window") if neural else None,
            evidence=evidence,
        )
    if network is not None:
        network.enc.ext = tagger.extractor  # one feature cache for both models
    return tagger
