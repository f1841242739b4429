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
import json
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import pycrfsuite
from camel_tools.tokenizers.word import simple_word_tokenize

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from newsan.eval_ner import format_ner_report, read_conll, retokenize_sentence, score  # noqa: E402
from newsan.extract.tagger import (  # noqa: E402
    CLUSTERS_FILE,
    GAZETTEER_FILE,
    MODEL_FILE,
    FeatureExtractor,
    Lexicons,
    _bare,
    _is_word,
    load_lexicons,
    normalize_word,
    split_proclitics,
)
from newsan.eval_ner import spans_from_bio  # noqa: E402

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
            "Politician", "Athlete", "Artist", "Other_PER", "Religious_PER", "Scientist",
            "Businessperson", "Engineer", "Lawyer", "Police_PER",
        ],
        "PERS",
    ),
    **dict.fromkeys(
        [
            "Nation", "Population-Center", "State-or-Province", "GPE-Cluster", "Continent",
            "Water-Body", "Land-Region-Natural", "County-or-District", "Celestial", "Land",
            "Water", "Air",
        ],
        "LOC",
    ),
    **dict.fromkeys(
        [
            "Government", "Non-Governmental", "Commercial", "Media", "Educational", "Group",
            "Sports", "Religious_ORG", "Entertainment", "Medical-Science", "Police",
        ],
        "ORG",
    ),
    **dict.fromkeys(
        [
            "Book", "Movie", "Software", "Hardware", "Sound", "Building-Grounds", "Airport",
            "Path", "Subarea-Facility", "Projectile", "Food", "Drug", "Nuclear", "Shooting",
            "Blunt", "Exploding", "Sharp", "Chemical", "Plant",
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
    out: list[str] = []
    for k, (piece, i) in enumerate(zip(new, owner, strict=True)):
        tag = tags[i]
        word_idx = [j for j, o in enumerate(owner) if o == i and _is_word(new[j])]
        if len(word_idx) == 0:
            first = min(j for j, o in enumerate(owner) if o == i)
            out.append(tag if k == first else (("I-" + tag[2:]) if tag != "O" else "O"))
        elif k < word_idx[0] or k > word_idx[-1]:
            out.append("O")
        elif k == word_idx[0]:
            out.append(tag)
        else:
            out.append("I-" + tag[2:] if tag != "O" else "O")
    return new, fix_bio(out)


def build_gazetteer(sents: Iterable[Sentence], min_count: int = 2, min_ratio: float = 0.5) -> list[str]:
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
        bares = [_bare(split_proclitics(normalize_word(t))[1]) for t in toks]
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


def build_clusters(
    texts: Iterable[list[str]],
    seed: int,
    dims: int = 100,
    sizes: tuple[int, ...] = (64, 256, 1024),
    min_count: int = 3,
    n_context: int = 5000,
) -> list[str]:
    """Word clusters from raw text: PPMI over a ±2 window, SVD, k-means.

    Words are bare normalized stems seen at least ``min_count`` times; their
    context vectors count the ``n_context`` most frequent stems in a ±2 window.
    The PPMI matrix is reduced with a truncated SVD (``dims``) and clustered by
    k-means at each of ``sizes``; ids are written coarse to fine. Deterministic
    for a given ``seed``.
    """
    import numpy as np
    from scipy.sparse import coo_matrix
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    docs = [[_bare(split_proclitics(normalize_word(t))[1]) for t in toks] for toks in texts]
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
    vecs = normalize(vecs)
    ids = []
    for k in sizes:
        km = MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=4096)
        ids.append(km.fit_predict(vecs))
    return [w + "\t" + "\t".join(str(int(lab[i])) for lab in ids) for i, w in enumerate(vocab)]


def train(
    sents: list[Sentence],
    extractor: FeatureExtractor,
    model_path: Path,
    c1: float,
    c2: float,
    max_iter: int,
    min_freq: float,
) -> None:
    """Train a crfsuite L-BFGS model and write it to ``model_path``."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for toks, tags in sents:
        trainer.append(extractor.sentence(toks), tags)
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": max_iter,
            "feature.possible_transitions": True,
            "feature.minfreq": min_freq,
        }
    )
    trainer.train(str(model_path))


def tag_all(model_path: Path, extractor: FeatureExtractor, sents: list[list[str]]) -> list[list[str]]:
    """Tag sentences with a model file."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    return [list(tagger.tag(extractor.sentence(s))) if s else [] for s in sents]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "ner")
    ap.add_argument("--out", type=Path, default=REPO / "build" / "ner")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--dev-fraction", type=float, default=0.1, help="share of ANERcorp train held out (its end)")
    ap.add_argument("--final", action="store_true", help="train on all of ANERcorp train (no held-out part)")
    ap.add_argument("--extra", default="aqmar,wikifane", help="extra training corpora: aqmar,wikifane or none")
    ap.add_argument("--gazetteer", default="aqmar,wikifane", help="corpora the gazetteer is built from, or none")
    ap.add_argument("--no-triggers", action="store_true")
    ap.add_argument("--clusters", default="anercorp,aqmar,wikifane", help="text the word clusters learn from, or none")
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.05)
    ap.add_argument("--max-iter", type=int, default=200)
    ap.add_argument("--min-freq", type=float, default=1)
    ap.add_argument("--report-test", action="store_true", help="print scores on both ANERcorp test files")
    args = ap.parse_args(argv)

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
    gaz_src = [s for name in args.gazetteer.split(",") if name in corpora for s in corpora[name]]

    gaz_lines = build_gazetteer(gaz_src) if gaz_src else []
    gaz_path = args.out / GAZETTEER_FILE
    gaz_path.write_text(
        "# NER gazetteer for newsan: derived from " + (args.gazetteer or "none") + " (CC BY-SA); see MODEL_CARD.md\n"
        + "".join(line + "\n" for line in gaz_lines),
        encoding="utf-8",
    )
    corpora["anercorp"] = train_part  # held-out dev text never feeds the clusters
    clus_src = [toks for name in args.clusters.split(",") if name in corpora for toks, _ in corpora[name]]
    clus_path = args.out / CLUSTERS_FILE
    clus_lines = build_clusters(clus_src, args.seed) if clus_src else []
    clus_path.write_text(
        "# word clusters for newsan NER: PPMI-SVD-kmeans over " + args.clusters + " text (CC BY-SA); see MODEL_CARD.md\n"
        + "".join(line + "\n" for line in clus_lines),
        encoding="utf-8",
    )
    trig_path = REPO / "src" / "newsan" / "lexicons" / "ner_triggers.yaml"
    lex = load_lexicons(trig_path, gaz_path, clus_path)
    if args.no_triggers:
        lex = Lexicons({}, lex.gazetteer, lex.bigrams)
    extractor = FeatureExtractor(lex)

    train_sents = train_part + extra
    print(
        f"train: {len(train_part)} ANERcorp + {len(extra)} extra sentences, dev {len(dev)}; "
        f"gazetteer {len(gaz_lines)} entries; clusters {len(clus_lines)} words; {time.time() - t0:.0f}s",
        file=sys.stderr,
    )
    model_path = args.out / MODEL_FILE
    train(train_sents, extractor, model_path, args.c1, args.c2, args.max_iter, args.min_freq)
    print(f"trained in {time.time() - t0:.0f}s; model {model_path.stat().st_size / 1e6:.1f} MB", file=sys.stderr)

    results: dict[str, object] = {"args": {k: str(v) for k, v in vars(args).items()}}
    if dev:
        pred = tag_all(model_path, extractor, [t for t, _ in dev])
        s = score([g for _, g in dev], pred)
        print("== held-out dev (last %d train sentences)" % len(dev))
        print(format_ner_report(s))
        results["dev"] = s
    if args.report_test:
        for name in ANER_TESTS:
            sents = read_conll(args.data / name)
            pred = tag_all(model_path, extractor, [t for t, _ in sents])
            s = score([g for _, g in sents], pred)
            print("== " + name)
            print(format_ner_report(s))
            results[name] = s
    (args.out / "train_report.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
