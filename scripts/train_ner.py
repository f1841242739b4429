"""Train the embedded CRF NER model (``src/newsan/models/ner.crfsuite``).

Reproducible: the same data, seed and options give the same model file.
Corpora (all CC BY-SA, see ``src/newsan/models/MODEL_CARD.md``):

- ANERcorp, CAMeL Lab split, train part (``anercorp-camellab/``);
- AQMAR Arabic Wikipedia NER (``aqmar/``), MIS0-3 merged into MISC;
- WikiFANE Gold (``fane-gold/WikiFANE_Gold_2014_500K.txt``), fine classes mapped
  to PERS/LOC/ORG/MISC and clitics re-attached to match ANERcorp tokenization.

NewsFANE is never read: it is ANERcorp text, test sentences included. Neither
ANERcorp test file is used for training or tuning; ``--report-test`` only
prints their scores for the final model.

Usage::

    python scripts/train_ner.py                        # dev run: hold out 10% of train
    python scripts/train_ner.py --final --out src/newsan/models
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pycrfsuite
from camel_tools.tokenizers.word import simple_word_tokenize

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from newsan.eval_ner import (
    format_ner_report,
    read_conll,
    retokenize_sentence,
    score,
    spans_from_bio,
)
from newsan.extract.tagger import (
    CLUSTERS_FILE,
    DOC_WINDOW,
    DOMAIN_PREFIX,
    GAZETTEER_FILE,
    GENERAL_PREFIX,
    META_FILE,
    MODEL_FILE,
    NEWS_PREFIX,
    STAGE1_FILE,
    CrfTagger,
    FeatureExtractor,
    Lexicons,
    _bare,
    _is_word,
    load_lexicons,
    normalize_word,
    split_proclitics,
    stacked_features,
)

Sentence = tuple[list[str], list[str]]

ANER_TRAIN = "anercorp-camellab/ANERCorp_CamelLab_train.reconstructed.txt"
ANER_TESTS = (
    "anercorp-camellab/ANERCorp_CamelLab_test.txt",
    "anercorp-camellab/ANERCorp_CamelLab_test.sentence-start-fix.txt",
)

# WikiFANE fine classes -> ANERcorp labels. GPEs are LOC in ANERcorp; person
# subclasses are PERS; organizations ORG; products, works, vehicles, weapons
# and facilities MISC (ANERcorp tags named buildings and works as MISC or O).
FANE_MAP: dict[str, str] = {
    **dict.fromkeys(
        [
            "Politician",
            "Athlete",
            "Artist",
            "Other_PER",
            "Religious_PER",
            "Scientist",
            "Businessperson",
            "Engineer",
            "Lawyer",
            "Police_PER",
        ],
        "PERS",
    ),
    **dict.fromkeys(
        [
            "Nation",
            "Population-Center",
            "State-or-Province",
            "GPE-Cluster",
            "Continent",
            "Water-Body",
            "Land-Region-Natural",
            "County-or-District",
            "Celestial",
            "Land",
            "Water",
            "Air",
        ],
        "LOC",
    ),
    **dict.fromkeys(
        [
            "Government",
            "Non-Governmental",
            "Commercial",
            "Media",
            "Educational",
            "Group",
            "Sports",
            "Religious_ORG",
            "Entertainment",
            "Medical-Science",
            "Police",
        ],
        "ORG",
    ),
    **dict.fromkeys(
        [
            "Book",
            "Movie",
            "Software",
            "Hardware",
            "Sound",
            "Building-Grounds",
            "Airport",
            "Path",
            "Subarea-Facility",
            "Projectile",
            "Food",
            "Drug",
            "Nuclear",
            "Shooting",
            "Blunt",
            "Exploding",
            "Sharp",
            "Chemical",
            "Plant",
        ],
        "MISC",
    ),
}

AQMAR_MAP = {"PER": "PERS", "LOC": "LOC", "ORG": "ORG"}


def fix_bio(tags: list[str]) -> list[str]:
    """Turn I- tags that continue nothing into B- (consistent IOB2 for training)."""
    out: list[str] = []
    prev = "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def load_aqmar(folder: Path) -> list[Sentence]:
    """All AQMAR articles; MIS0-3 -> MISC, malformed tags repaired."""
    sents: list[Sentence] = []
    for path in sorted(folder.glob("*.txt")):
        for toks, tags in read_conll(path):
            new: list[str] = []
            for t in tags:
                if t in ("O", "OO", "IO") or "-" not in t:
                    new.append("O")
                    continue
                bio, cls = t[0], t[2:].strip("-`")
                lab = AQMAR_MAP.get(cls, "MISC")
                new.append(f"{bio if bio in 'BI' else 'B'}-{lab}")
            sents.append((toks, fix_bio(new)))
    return sents


_FANE_PROCLITICS = {"و", "ف", "ب", "ل", "ك"}
_FANE_ENCLITICS = {"ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "نا", "ي", "ني"}


def _join_fane(toks: list[str], tags: list[str]) -> Sentence:
    """Re-attach WikiFANE's split clitics (``و تعتبر`` -> ``وتعتبر``, ``مدن ها`` -> ``مدنها``)."""
    out_t: list[str] = []
    out_g: list[str] = []
    pending = ""
    for tok, tag in zip(toks, tags, strict=True):
        if tok in _FANE_PROCLITICS and tag == "O":
            pending += tok
            continue
        if out_t and tag == "O" and tok in _FANE_ENCLITICS and not pending and _is_word(out_t[-1]):
            out_t[-1] += tok
            continue
        if pending:
            if _is_word(tok):
                if pending.endswith("ل") and tok.startswith("ال"):
                    tok = pending + tok[1:]
                else:
                    tok = pending + tok
            else:
                out_t.append(pending)
                out_g.append("O")
            pending = ""
        out_t.append(tok)
        out_g.append(tag)
    if pending:
        out_t.append(pending)
        out_g.append("O")
    return out_t, out_g


def load_wikifane(path: Path) -> list[Sentence]:
    """WikiFANE Gold: BOM/LRM stripped, classes mapped, clitics re-attached."""
    sents: list[Sentence] = []
    toks: list[str] = []
    tags: list[str] = []
    text = path.read_text(encoding="utf-8-sig").replace("\u200e", "")
    for line in text.splitlines():
        line = line.strip("\r")
        if not line.strip():
            if toks:
                sents.append(_join_fane(toks, fix_bio(tags)))
                toks, tags = [], []
            continue
        tok, _, tag = line.partition("\t")
        tok = tok.strip()
        tag = tag.strip()
        if not tok:
            continue
        if tag == "O" or "-" not in tag:
            tags.append("O")
        else:
            lab = FANE_MAP.get(tag[2:])
            tags.append(f"{tag[0]}-{lab}" if lab else "O")
        toks.append(tok)
    if toks:
        sents.append(_join_fane(toks, fix_bio(tags)))
    return sents


def retokenize_gold(sent: Sentence) -> Sentence:
    """Apply the analyzer's tokenizer and carry gold tags onto the pieces.

    The first word piece of a token keeps its tag; later pieces continue the
    entity (I-); punctuation before the first or after the last word piece is O.
    """
    toks, tags = sent
    new, owner = retokenize_sentence(toks, simple_word_tokenize)
    if len(new) == len(toks):
        return new, list(tags)
    pieces: dict[int, list[int]] = defaultdict(list)
    for k, i in enumerate(owner):
        pieces[i].append(k)
    out: list[str] = []
    for k, i in enumerate(owner):
        tag = tags[i]
        inside = "I-" + tag[2:] if tag != "O" else "O"
        words = [j for j in pieces[i] if _is_word(new[j])]
        if not words:
            out.append(tag if k == pieces[i][0] else inside)
        elif k < words[0] or k > words[-1]:
            out.append("O")
        else:
            out.append(tag if k == words[0] else inside)
    return new, fix_bio(out)


def make_keyer(texts: Iterable[list[str]], min_count: int = 3) -> Callable[[str], str]:
    """The lookup key the tagger will use for a word, approximated for building lists.

    The tagger keeps a word whole when a lexicon knows it and not the word
    without proclitics (see ``FeatureExtractor._info``); here "known" means
    seen ``min_count`` times.
    """
    whole = Counter(_bare(normalize_word(t)) for toks in texts for t in toks)
    known = {w for w, c in whole.items() if c >= min_count}

    @functools.lru_cache(maxsize=1 << 20)
    def key(token: str) -> str:
        norm = normalize_word(token)
        stripped = _bare(split_proclitics(norm)[1])
        if stripped not in known and _bare(norm) in known:
            return _bare(norm)
        return stripped

    return key


def build_gazetteer(
    sents: Iterable[Sentence], key: Callable[[str], str], min_count: int = 2, min_ratio: float = 0.5
) -> list[str]:
    """Gazetteer TSV lines from annotated sentences.

    A word (bare normalized stem) is listed under a label when it occurs at
    least ``min_count`` times inside entities of that label and at least
    ``min_ratio`` of all its occurrences are inside entities. Two-word
    entities are listed as bigrams when seen ``min_count`` times.
    """
    in_ent: dict[str, Counter[str]] = defaultdict(Counter)
    total: Counter[str] = Counter()
    bigrams: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for toks, tags in sents:
        bares = [key(t) for t in toks]
        total.update(bares)
        for label, s, e in spans_from_bio(tags):
            for b in bares[s:e]:
                in_ent[b][label] += 1
            if e - s == 2:
                bigrams[(bares[s], bares[s + 1])][label] += 1
    lines: list[str] = []
    for word in sorted(in_ent):
        counts = in_ent[word]
        n = sum(counts.values())
        if len(word) < 2 or not any(ch.isalpha() for ch in word) or n < min_count or n / total[word] < min_ratio:
            continue
        for label, c in counts.most_common():
            if c >= min_count and c / n >= 0.3:
                lines.append(f"{word}\t{label}")
    for (a, b), counts in sorted(bigrams.items()):
        label, c = counts.most_common(1)[0]
        if c >= min_count:
            lines.append(f"{a} {b}\t{label}")
    return lines


def word_vectors(
    texts: Iterable[list[str]],
    key: Callable[[str], str],
    seed: int,
    dims: int = 100,
    min_count: int = 3,
    n_context: int = 5000,
) -> tuple[list[str], Any]:
    """Word vectors from raw text: PPMI over a ±2 window, then a truncated SVD.

    Words are bare normalized stems seen at least ``min_count`` times; their
    context vectors count the ``n_context`` most frequent stems in a ±2 window,
    left and right apart. Returns the vocabulary (most frequent first) and its
    L2-normalized ``dims``-dimensional vectors. Deterministic for a ``seed``.
    """
    import numpy as np
    from scipy.sparse import coo_matrix
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    docs = [[key(t) for t in toks] for toks in texts]
    freq = Counter(w for d in docs for w in d)
    vocab = sorted((w for w, c in freq.items() if c >= min_count and _is_word(w)), key=lambda w: (-freq[w], w))
    index = {w: i for i, w in enumerate(vocab)}
    ctx_index = {w: i for i, w in enumerate(vocab[:n_context])}
    rows: list[int] = []
    cols: list[int] = []
    for d in docs:
        for i, w in enumerate(d):
            wi = index.get(w)
            if wi is None:
                continue
            for off in (-2, -1, 1, 2):
                j = i + off
                if 0 <= j < len(d):
                    ci = ctx_index.get(d[j])
                    if ci is not None:
                        # Separate left and right contexts: word order matters for names.
                        rows.append(wi)
                        cols.append(ci * 2 + (off > 0))
    m = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(vocab), 2 * len(ctx_index))).tocsr()
    m.sum_duplicates()
    total = m.sum()
    row_sum = np.asarray(m.sum(axis=1)).ravel()
    col_sum = np.asarray(m.sum(axis=0)).ravel() ** 0.75
    col_sum = col_sum / col_sum.sum() * total
    m = m.tocoo()
    pmi = np.log(m.data * total / (row_sum[m.row] * col_sum[m.col]))
    keep = pmi > 0
    ppmi = coo_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=m.shape).tocsr()
    vecs = TruncatedSVD(n_components=dims, random_state=seed).fit_transform(ppmi)
    return vocab, normalize(vecs)


def build_clusters(
    texts: Iterable[list[str]],
    key: Callable[[str], str],
    seed: int,
    dims: int = 100,
    sizes: tuple[int, ...] = (64, 256, 1024),
    min_count: int = 3,
    n_context: int = 5000,
) -> list[str]:
    """Word clusters: k-means at each of ``sizes`` over :func:`word_vectors`.

    Cluster ids are written coarse to fine. Deterministic for a given ``seed``.
    """
    from sklearn.cluster import MiniBatchKMeans

    vocab, vecs = word_vectors(texts, key, seed, dims, min_count, n_context)
    ids = []
    for k in sizes:
        km = MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=4096)
        ids.append(km.fit_predict(vecs))
    return [w + "\t" + "\t".join(str(int(lab[i])) for lab in ids) for i, w in enumerate(vocab)]


def train(
    xseqs: list[list[list[str]]],
    yseqs: list[list[str]],
    model_path: Path,
    c1: float,
    c2: float,
    max_iter: int,
) -> None:
    """Train a crfsuite L-BFGS model (deterministic) and write it to ``model_path``."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for x, y in zip(xseqs, yseqs, strict=True):
        trainer.append(x, y)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iter, "feature.possible_transitions": True})
    trainer.train(str(model_path))


def news_features(
    extractor: FeatureExtractor, sents: list[Sentence], domain: bool
) -> tuple[list[list[list[str]]], list[list[str]]]:
    """CRF features and tags of projected news sentences (:mod:`newsan.projection`);
    with ``domain``, each feature also in a copy private to the news
    (``NEWS_PREFIX``), which the tagger folds into the shared weight at run time."""
    x = [extractor.sentence(toks) for toks, _ in sents]
    if domain:
        x = [[f + [NEWS_PREFIX + a for a in f] for f in sent] for sent in x]
    return x, [list(tags) for _, tags in sents]


def domain_copy(x: list[list[list[str]]], prefix: str) -> list[list[list[str]]]:
    """Each feature also in a copy private to one domain (Daume 2007)."""
    return [[f + [prefix + a for a in f] for f in sent] for sent in x]


def project_news(folder: Path) -> list[Sentence]:
    """Every sentence of the gold folder's articles, entities projected onto the analyzer's tokens."""
    from newsan.projection import project_dir

    arts, report = project_dir(folder)
    print(report.format().splitlines()[0], file=sys.stderr)
    return [s for art in arts for s in art.sentences if s[0]]


# Set before forking the fold workers (fork start method shares them for free).
_FOLD_DATA: dict[str, object] = {}


def _fold_job(k: int) -> list[list[str]]:
    """Train stage 1 without fold ``k`` and tag fold ``k`` (jackknifed labels)."""
    x: list[list[list[str]]] = _FOLD_DATA["x"]  # type: ignore[assignment]
    y: list[list[str]] = _FOLD_DATA["y"]  # type: ignore[assignment]
    bounds: list[tuple[int, int]] = _FOLD_DATA["bounds"]  # type: ignore[assignment]
    out_dir: Path = _FOLD_DATA["out"]  # type: ignore[assignment]
    lo, hi = bounds[k]
    path = out_dir / f"fold{k}.crfsuite"
    train(x[:lo] + x[hi:], y[:lo] + y[hi:], path, *_FOLD_DATA["params"])  # type: ignore[arg-type]
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    tags = [list(tagger.tag(xi)) if xi else [] for xi in x[lo:hi]]
    tagger.close()
    path.unlink()
    return tags


def jackknife(
    x: list[list[list[str]]], y: list[list[str]], folds: int, out_dir: Path, params: tuple[float, float, int], jobs: int
) -> list[list[str]]:
    """First-stage labels for the training data, each fold tagged by a model that never saw it."""
    import multiprocessing as mp

    n = len(x)
    bounds = [(n * k // folds, n * (k + 1) // folds) for k in range(folds)]
    _FOLD_DATA.update(x=x, y=y, bounds=bounds, out=out_dir, params=params)
    with mp.get_context("fork").Pool(jobs) as pool:
        parts = pool.map(_fold_job, range(folds))
    return [t for part in parts for t in part]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "ner")
    ap.add_argument("--out", type=Path, default=REPO / "build" / "ner")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--dev-fraction", type=float, default=0.1, help="share of ANERcorp train held out (its end)")
    ap.add_argument("--final", action="store_true", help="train on all of ANERcorp train (no held-out part)")
    ap.add_argument(
        "--extra", default="none", help="extra CRF training corpora: aqmar,wikifane or none (none measured best)"
    )
    ap.add_argument("--gaz-min-count", type=int, default=1, help="min mentions for a gazetteer word")
    ap.add_argument("--domain-adapt", action="store_true", help="feature augmentation for the extra corpora")
    ap.add_argument(
        "--extra-labels", default="all", help="e.g. PERS,LOC: only extra sentences whose entities have these labels"
    )
    ap.add_argument("--gazetteer", default="aqmar,wikifane", help="corpora the gazetteer is built from, or none")
    ap.add_argument("--no-triggers", action="store_true")
    ap.add_argument("--clusters", default="anercorp,aqmar,wikifane", help="text the word clusters learn from, or none")
    ap.add_argument(
        "--news",
        type=Path,
        default=None,
        help="a gold folder (shared/eval/train) whose entities, projected onto the analyzer's tokens, join the training data",
    )
    ap.add_argument("--news-weight", type=int, default=1, help="copies of each news sentence in the training data")
    ap.add_argument("--news-domain", action="store_true", help="a news-only copy of each news feature (tagging uses it)")
    ap.add_argument(
        "--general-domain",
        action="store_true",
        help="with --news-domain: ANERcorp's sentences get a copy of their own too (the general domain's)",
    )
    ap.add_argument(
        "--evidence", action="store_true", help="the lexicon passes of extract/entities.py as features"
    )
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.05)
    ap.add_argument("--max-iter", type=int, default=120)
    ap.add_argument("--stack", action="store_true", help="two stacked CRFs with document memory")
    ap.add_argument("--folds", type=int, default=4, help="jackknife folds for the first stage")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--report", type=Path, help="write the scores as JSON here")
    ap.add_argument("--report-test", action="store_true", help="print scores on both ANERcorp test files")
    args = ap.parse_args(argv)
    if args.general_domain and not (args.news is not None and args.news_domain):
        ap.error("--general-domain needs --news and --news-domain")

    random.seed(args.seed)
    t0 = time.time()
    args.out.mkdir(parents=True, exist_ok=True)
    aner = [retokenize_gold((t, fix_bio(g))) for t, g in read_conll(args.data / ANER_TRAIN)]
    n_dev = 0 if args.final else int(len(aner) * args.dev_fraction)
    train_part, dev = (aner, []) if n_dev == 0 else (aner[:-n_dev], aner[-n_dev:])

    corpora: dict[str, list[Sentence]] = {}
    wanted = {x for x in (args.extra + "," + args.gazetteer + "," + args.clusters).split(",") if x and x != "none"}
    if "aqmar" in wanted:
        corpora["aqmar"] = [retokenize_gold(s) for s in load_aqmar(args.data / "aqmar")]
    if "wikifane" in wanted:
        corpora["wikifane"] = [
            retokenize_gold(s) for s in load_wikifane(args.data / "fane-gold" / "WikiFANE_Gold_2014_500K.txt")
        ]
    extra = [s for name in args.extra.split(",") if name in corpora for s in corpora[name]]
    if args.extra_labels != "all":
        # Keep extra sentences whose entities all have these labels (and that have one):
        # the Wikipedia corpora draw ORG/MISC lines differently from ANERcorp.
        keep = set(args.extra_labels.split(","))
        extra = [s for s in extra if (labs := {lab for lab, _, _ in spans_from_bio(s[1])}) and labs <= keep]
    gaz_src = [s for name in args.gazetteer.split(",") if name in corpora for s in corpora[name]]

    corpora["anercorp"] = train_part  # held-out dev text never feeds the lists
    clus_src = [toks for name in args.clusters.split(",") if name in corpora for toks, _ in corpora[name]]
    keyer = make_keyer(clus_src + [toks for toks, _ in gaz_src])
    gaz_lines = build_gazetteer(gaz_src, keyer, min_count=args.gaz_min_count) if gaz_src else []
    gaz_path = args.out / GAZETTEER_FILE
    gaz_path.write_text(
        "# NER gazetteer for newsan: derived from "
        + (args.gazetteer or "none")
        + " (CC BY-SA); see MODEL_CARD.md\n"
        + "".join(line + "\n" for line in gaz_lines),
        encoding="utf-8",
    )
    clus_path = args.out / CLUSTERS_FILE
    clus_lines = build_clusters(clus_src, keyer, args.seed) if clus_src else []
    clus_path.write_text(
        "# word clusters for newsan NER: PPMI-SVD-kmeans over "
        + args.clusters
        + " text (CC BY-SA); see MODEL_CARD.md\n"
        + "".join(line + "\n" for line in clus_lines),
        encoding="utf-8",
    )
    trig_path = REPO / "src" / "newsan" / "lexicons" / "ner_triggers.yaml"
    lex = load_lexicons(trig_path, gaz_path, clus_path)
    if args.no_triggers:
        lex = Lexicons({}, lex.gazetteer, lex.bigrams)
    evidence = None
    if args.evidence:
        from newsan.extract.entities import lexicon_evidence

        evidence = lexicon_evidence()
    extractor = FeatureExtractor(lex, evidence)

    train_sents = train_part + extra
    print(
        f"train: {len(train_part)} ANERcorp + {len(extra)} extra sentences, dev {len(dev)}; "
        f"gazetteer {len(gaz_lines)} entries; clusters {len(clus_lines)} words; {time.time() - t0:.0f}s",
        file=sys.stderr,
    )
    x = [extractor.sentence(toks) for toks, _ in train_sents]
    y = [tags for _, tags in train_sents]
    if args.domain_adapt:
        # Daume (2007) feature augmentation: every feature also in a copy private to its
        # corpus, so Wikipedia's tagging conventions stay in the "W:" weights and the
        # news model (shared + "A:") learns names from both.
        n_aner = len(train_part)
        x = [[f + [(DOMAIN_PREFIX if k < n_aner else "W:") + a for a in f] for f in sent] for k, sent in enumerate(x)]
    if args.news is not None:
        if args.domain_adapt or args.stack:
            ap.error("--news combines with neither --domain-adapt nor --stack")
        news = project_news(args.news)
        xn, yn = news_features(extractor, news, args.news_domain)
        if args.general_domain:
            x = domain_copy(x, GENERAL_PREFIX)
        x = x + xn * args.news_weight
        y = y + yn * args.news_weight
        print(f"+ {len(news)} projected news sentences x {args.news_weight}", file=sys.stderr)
    params = (args.c1, args.c2, args.max_iter)
    model_path = args.out / MODEL_FILE
    stage1_path = args.out / STAGE1_FILE
    if args.stack:
        first = jackknife(x, y, args.folds, args.out, params, args.jobs)
        print(f"jackknifed stage 1 in {time.time() - t0:.0f}s", file=sys.stderr)
        # Blocks of consecutive text: ANERcorp train, then each extra corpus.
        bares = [extractor.bares(toks) for toks, _ in train_sents]
        stacked = stacked_features(bares, first, DOC_WINDOW)
        x2 = [[fi + ei for fi, ei in zip(f, e, strict=True)] for f, e in zip(x, stacked, strict=True)]
        import multiprocessing as mp

        with mp.get_context("fork").Pool(2) as pool:
            r1 = pool.apply_async(train, (x, y, stage1_path, *params))
            r2 = pool.apply_async(train, (x2, y, model_path, *params))
            r1.get()
            r2.get()
    else:
        stage1_path.unlink(missing_ok=True)
        train(x, y, model_path, *params)
    size = sum(p.stat().st_size for p in (model_path, stage1_path) if p.exists())
    print(f"trained in {time.time() - t0:.0f}s; model files {size / 1e6:.1f} MB", file=sys.stderr)
    # The ANERcorp files below are general text: a model with a news-only copy of its
    # features tags them without it (newsan eval ner --domain general); the analyzer
    # folds the copy in for news (ner_meta.json "domain_prefixes").
    news_domain = args.news is not None and args.news_domain
    general = GENERAL_PREFIX if args.general_domain else None
    prefixes = {"news": NEWS_PREFIX, "general": general} if news_domain else None
    prefix = DOMAIN_PREFIX if args.domain_adapt else None
    tagger = CrfTagger(
        model_path, lex, stage1_path if args.stack else None, domain_prefix=prefix or general, evidence=evidence
    )

    # keep what train_neural_ner.py wrote there (the network's weight, the propagation window)
    meta_path = args.out / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    meta.update(
        {"stage1": bool(args.stack), "domain_prefix": prefix, "domain_prefixes": prefixes, "evidence": bool(args.evidence)}
    )
    meta_path.write_text(json.dumps(meta) + "\n", encoding="utf-8")
    results: dict[str, object] = {"args": {k: str(v) for k, v in vars(args).items()}}
    if dev:
        pred = tagger.tag_sentences([t for t, _ in dev])
        s = score([g for _, g in dev], pred)
        print(f"== held-out dev (last {len(dev)} train sentences)")
        print(format_ner_report(s))
        results["dev"] = s
    if args.report_test:
        for name in ANER_TESTS:
            sents = read_conll(args.data / name)
            pred = tagger.tag_sentences([t for t, _ in sents])
            s = score([g for _, g in sents], pred)
            print("== " + name)
            print(format_ner_report(s))
            results[name] = s
    if args.report is not None:
        args.report.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
