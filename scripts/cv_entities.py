"""Cross-validated entity scores on ``shared/eval/train``: the shipped CRF vs
a CRF that also learned from the projected news of the other folds.

Five folds grouped by article (a fixed seed shuffles the article ids). For each
fold a CRF is trained on ANERcorp train + the gold entities of the other four
folds projected onto the analyzer's tokens (:mod:`newsan.projection`), with
the packaged feature lexicons (gazetteer, clusters, triggers, names); the full
analyzer (tagger + the rules of ``extract/entities.py`` + aggregation) then runs
on the held-out fold and its entities are scored as SCORING.md says
(:func:`newsan.evaluate.score_article`). The same articles are also run with
the shipped model ("rules-only": today's default tagger, which never saw
news). Printed: per fold and pooled P/R/F1, per label, and a 95 % bootstrap
interval over articles (1,000 resamples) for pooled F1 and for the difference.

Nothing of ``shared/eval/dev`` or the ANERcorp test files is read: choose
options here, measure there.

Usage::

    python scripts/cv_entities.py                         # default options (those of the shipped model)
    python scripts/cv_entities.py --max-iter 60 --news-weight 2 --c2 0.1
    python scripts/cv_entities.py --json out.json
    python scripts/cv_entities.py --max-iter 60 --news-weight 3 --evidence   # best measured: 0.749
    python scripts/cv_entities.py ... --models DIR --ablate head_chunks      # a rule pass off, folds reused
    python scripts/cv_entities.py --max-iter 60 --news-weight 3 --evidence --news-domain   # 0.757 (news-domain copy)
    python scripts/cv_entities.py ... --errors errors.jsonl                  # the held-out errors, by label

With ``--news-domain`` the held-out news is tagged in the news domain (the
shared weights plus the ``N:`` copy), as ``newsan analyze`` tags it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from train_ner import ANER_TRAIN, domain_copy, fix_bio, news_features, retokenize_gold, train  # noqa: E402

from newsan.eval_ner import read_conll  # noqa: E402
from newsan.evaluate import EntityScores, record_to_gold, score_article  # noqa: E402
from newsan.export import to_dict  # noqa: E402
from newsan.extract.entities import lexicon_evidence  # noqa: E402
from newsan.extract.tagger import GENERAL_PREFIX, NEWS_PREFIX, CrfTagger, FeatureExtractor, default_tagger, load_lexicons  # noqa: E402
from newsan.lexicons import load_lexicon  # noqa: E402
from newsan.load import article_from_text  # noqa: E402
from newsan.pipeline import analyze_article  # noqa: E402
from newsan.projection import load_gold_dir, project_article  # noqa: E402

LABELS = ("PERS", "LOC", "ORG", "MISC")


def _off(name: str, keep: Any = None) -> Any:
    """Replace the pass ``name`` of extract/entities.py by one that changes nothing."""
    import newsan.extract.entities as ent

    def ident(toks: Any, ranges: Any, *a: Any, **k: Any) -> Any:
        return ranges

    return lambda: setattr(ent, name, keep or ident)


ABLATIONS = {
    "given_name": _off("_extend_to_given_name"),
    "names": _off("_apply_names"),
    "outlets": _off("_add_outlets"),
    "head_chunks": _off("_add_head_chunks"),
    "mend_edges": _off("_mend_edges", lambda toks, ranges: ranges),
    "split_coordination": _off("_split_coordination", lambda toks, label, a, b, ctx: [(a, b)]),
}


def folds_of(ids: list[str], k: int, seed: int) -> dict[str, int]:
    """Article id -> fold number: the ids shuffled with ``seed``, dealt round-robin."""
    order = sorted(ids)
    random.Random(seed).shuffle(order)
    return {aid: i % k for i, aid in enumerate(order)}


def entity_scores(pred: dict[str, Any], gold: dict[str, Any]) -> dict[str, EntityScores]:
    """SCORING.md's entity counts, for all labels ("all") and for each label alone."""
    out = {"all": score_article({"entities": pred["entities"]}, {"entities": gold["entities"]}).entities}
    for lab in LABELS:
        p = {"entities": [e for e in pred["entities"] if e["label"] == lab]}
        g = {"entities": [e for e in gold["entities"] if e["label"] == lab]}
        out[lab] = score_article(p, g).entities
    return out


def f1(s: EntityScores) -> float:
    return float(s.as_dict()["f1"])


def total(per: list[dict[str, EntityScores]], key: str = "all") -> EntityScores:
    t = EntityScores()
    for s in per:
        t = t + s[key]
    return t


def bootstrap(
    base: list[dict[str, EntityScores]], new: list[dict[str, EntityScores]], n: int, seed: int
) -> dict[str, tuple[float, float]]:
    """95 % percentile intervals over articles for pooled F1 (both systems) and their difference."""
    rng = random.Random(seed)
    m = len(base)
    a, b, d = [], [], []
    for _ in range(n):
        idx = [rng.randrange(m) for _ in range(m)]
        fa = f1(total([base[i] for i in idx]))
        fb = f1(total([new[i] for i in idx]))
        a.append(fa)
        b.append(fb)
        d.append(fb - fa)

    def ci(xs: list[float]) -> tuple[float, float]:
        xs = sorted(xs)
        return xs[int(0.025 * n)], xs[int(0.975 * n) - 1]

    return {"rules_only": ci(a), "learned": ci(b), "difference": ci(d)}


def fmt(s: EntityScores) -> str:
    d = s.as_dict()
    return f"P {d['precision']:.3f} R {d['recall']:.3f} F1 {d['f1']:.3f} (gold {d['gold']}, predicted {d['predicted']})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=REPO.parent / "shared" / "eval" / "train")
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "ner")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.05)
    ap.add_argument("--max-iter", type=int, default=120)
    ap.add_argument("--news-weight", type=int, default=1, help="copies of each projected news sentence in training")
    ap.add_argument(
        "--news-domain", action="store_true", help="news sentences also get a news-only copy of their features (Daume 2007)"
    )
    ap.add_argument(
        "--general-domain",
        action="store_true",
        help="with --news-domain: ANERcorp's sentences get a copy of their own too (the held-out news is "
        "tagged in the news domain either way)",
    )
    ap.add_argument(
        "--propagate", type=int, default=0, help="label propagation window (sentences) for the learned tagger; 0: none"
    )
    ap.add_argument(
        "--evidence", action="store_true", help="the lexicon passes as CRF features (entities.LexiconEvidence)"
    )
    ap.add_argument("--only-folds", default="", help="e.g. 0,1: run these folds only (exploration)")
    ap.add_argument("--bootstrap", type=int, default=1000)
    ap.add_argument("--json", type=Path, help="write all figures here")
    ap.add_argument(
        "--errors", type=Path, help="write the learned system's held-out entity errors here (JSON lines, by label)"
    )
    ap.add_argument(
        "--models",
        type=Path,
        help="keep the fold models in this folder and reuse them when the options match "
        "(to measure changes of the rules on top of the tagger without retraining)",
    )
    ap.add_argument(
        "--ablate",
        default="",
        help="measurement only: rule passes of extract/entities.py to switch off, comma-separated, from "
        + ", ".join(sorted(ABLATIONS)),
    )
    args = ap.parse_args(argv)
    for name in filter(None, args.ablate.split(",")):
        if name not in ABLATIONS:
            ap.error(f"--ablate: unknown pass {name!r}")
        ABLATIONS[name]()
    if args.general_domain and not args.news_domain:
        ap.error("--general-domain needs --news-domain")
    if not args.gold.is_dir() or not (args.data / ANER_TRAIN).exists():
        ap.error(f"needs {args.gold} and {args.data / ANER_TRAIN}")

    t0 = time.time()
    lexicon = load_lexicon()
    lex = load_lexicons()
    evidence = lexicon_evidence(lexicon) if args.evidence else None
    extractor = FeatureExtractor(lex, evidence)
    docs = load_gold_dir(args.gold)
    fold = folds_of([aid for aid, _, _ in docs], args.folds, args.seed)
    projected = {aid: project_article(text, gold, lexicon, aid) for aid, text, gold in docs}
    aner = [retokenize_gold((t, fix_bio(g))) for t, g in read_conll(args.data / ANER_TRAIN)]
    x_aner = [extractor.sentence(toks) for toks, _ in aner]
    if args.general_domain:
        x_aner = domain_copy(x_aner, GENERAL_PREFIX)
    y_aner = [tags for _, tags in aner]
    print(f"data ready in {time.time() - t0:.0f}s: {len(aner)} ANERcorp sentences, {len(docs)} articles", file=sys.stderr)

    base_tagger = default_tagger()
    base: dict[str, dict[str, EntityScores]] = {}
    new: dict[str, dict[str, EntityScores]] = {}
    errors: list[dict[str, Any]] = []
    only = {int(k) for k in args.only_folds.split(",") if k}
    run_folds = [k for k in range(args.folds) if not only or k in only]
    tag = f"s{args.seed}-c1{args.c1}-c2{args.c2}-it{args.max_iter}-w{args.news_weight}-d{int(args.news_domain) + int(args.general_domain)}{'-ev' if args.evidence else ''}"
    with tempfile.TemporaryDirectory(prefix="cv_entities") as tmp:
        folder = args.models or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for k in run_folds:
            path = folder / f"fold{k}of{args.folds}-{tag}.crfsuite"
            if not path.exists():
                news = [s for aid, art in projected.items() if fold[aid] != k for s in art.sentences if s[0]]
                xn, yn = news_features(extractor, news, args.news_domain)
                x = x_aner + xn * args.news_weight
                y = y_aner + yn * args.news_weight
                train(x, y, path.with_suffix(".tmp"), args.c1, args.c2, args.max_iter)
                path.with_suffix(".tmp").replace(path)
            tagger = CrfTagger(
                path,
                lex,
                domain_prefix=NEWS_PREFIX if args.news_domain else None,
                propagate_window=args.propagate or None,
                evidence=evidence,
            )
            for aid, text, gold in docs:
                if fold[aid] != k:
                    continue
                article = article_from_text(text, aid, id=aid)
                for system, tg, store in (("rules", base_tagger, base), ("learned", tagger, new)):
                    pred = record_to_gold(to_dict(analyze_article(article, tg, lexicon)))
                    store[aid] = entity_scores(pred, gold)
                    if args.errors and system == "learned":
                        errors += [
                            {**e, "id": aid, "fold": k}
                            for e in score_article({"entities": pred["entities"]}, {"entities": gold["entities"]}).errors
                            if e["type"].endswith("entity")
                        ]
            ids = [aid for aid in base if fold[aid] == k]
            print(
                f"fold {k} ({len(ids)} articles, {time.time() - t0:.0f}s): rules-only F1 "
                f"{f1(total([base[a] for a in ids])):.3f}, learned F1 {f1(total([new[a] for a in ids])):.3f}",
                file=sys.stderr,
            )

    ids = sorted(base)
    result: dict[str, Any] = {"args": {k: str(v) for k, v in vars(args).items()}, "folds": {}, "pooled": {}}
    print(f"== {len(ids)} articles, folds {run_folds}, options {vars(args)}")
    print(f"{'':8} {'rules-only (shipped CRF)':58} learned (CRF + projected news)")
    for k in run_folds:
        fids = [a for a in ids if fold[a] == k]
        b, n = total([base[a] for a in fids]), total([new[a] for a in fids])
        print(f"fold {k:<3} {fmt(b):58} {fmt(n)}")
        result["folds"][k] = {"rules_only": b.as_dict(), "learned": n.as_dict()}
    for key in ("all", *LABELS):
        b, n = total([base[a] for a in ids], key), total([new[a] for a in ids], key)
        print(f"{key:8} {fmt(b):58} {fmt(n)}")
        result["pooled"][key] = {"rules_only": b.as_dict(), "learned": n.as_dict()}
    if args.bootstrap:
        ci = bootstrap([base[a] for a in ids], [new[a] for a in ids], args.bootstrap, args.seed)
        print(
            "95% bootstrap intervals over articles: rules-only [{:.3f}, {:.3f}], learned [{:.3f}, {:.3f}], "
            "difference [{:+.3f}, {:+.3f}]".format(*ci["rules_only"], *ci["learned"], *ci["difference"])
        )
        result["bootstrap95"] = ci
    print(f"({time.time() - t0:.0f}s)", file=sys.stderr)
    if args.errors:
        errors.sort(key=lambda e: (e["label"], e["type"], e["id"]))
        args.errors.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
