"""How often does one person come out under two canonical names in one article?

Runs the analyzer on a fixed random sample of news articles (default: 2,000
from ``shared/data/news``, seed 13) and counts the articles in which

- **two entities** name one person: a PERS entity and another entity (any
  label) with a form equal to one of its forms, or equal to its first or last
  name part(s) (``ماكرون`` PERS beside ``إيمانويل ماكرون`` PERS, or ``ماكرون`` LOC);
- **speaker vs entity**: a quotation's speaker canonical differs from every
  entity canonical but names a PERS entity (contains one of its forms, as in
  ``الرئيس الفرنسي إيمانويل ماكرون``, or is its first or last name part).

Forms are compared after the analyzer's normalization, word by word; ``عبد``
and ``أبو`` are joined to the next word (عبد الله = عبدالله).

Usage::

    python scripts/person_names.py                    # counts and 15 examples of each kind
    python scripts/person_names.py --sample 500 --examples 30
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from newsan.lexicons import load_lexicon  # noqa: E402
from newsan.load import InputError, iter_articles  # noqa: E402
from newsan.model import Analysis  # noqa: E402
from newsan.normalize import normalize_word  # noqa: E402
from newsan.pipeline import analyze_article, make_tagger  # noqa: E402

_JOIN = ("عبد", "ابو")


def key(form: str) -> tuple[str, ...]:
    words = normalize_word(form).split()
    out: list[str] = []
    for w in words:
        if out and out[-1] in _JOIN:
            out[-1] += w
        else:
            out.append(w)
    return tuple(out)


def part_of(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """``short`` is ``long`` or its first or last word(s)."""
    n = len(short)
    return bool(short) and n <= len(long) and (long[:n] == short or long[-n:] == short)


def contains(long: tuple[str, ...], short: tuple[str, ...]) -> bool:
    n = len(short)
    return bool(short) and any(long[i : i + n] == short for i in range(len(long) - n + 1))


def conflicts(a: Analysis) -> tuple[list[str], list[str]]:
    """(entity-entity, speaker-entity) descriptions of one person named two ways."""
    ents = [(e, [key(f) for f in (e.canonical, *e.aliases)]) for e in a.entities]
    two: list[str] = []
    for i, (e, forms) in enumerate(ents):
        if e.label != "PERS":
            continue
        for j, (f, other) in enumerate(ents):
            if j == i or f.label == "PERS" and j < i:
                continue
            if any(part_of(o, p) or part_of(p, o) for o in other for p in forms if len(p) > 0):
                two.append(f"{e.canonical} (PERS) / {f.canonical} ({f.label})")
    canon = {key(e.canonical) for e in a.entities}
    persons = [(e, forms) for e, forms in ents if e.label == "PERS"]
    sp: list[str] = []
    for q in a.quotes:
        name = q.speaker_canonical or (q.speaker.text if q.speaker else None)
        if not name:
            continue
        k = key(name)
        if k in canon:
            continue
        for e, forms in persons:
            if any(contains(k, p) or part_of(k, p) for p in forms):
                sp.append(f"speaker {name} / entity {e.canonical}")
                break
    return two, sorted(set(sp))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--news", type=Path, default=REPO.parent / "shared" / "data" / "news")
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--examples", type=int, default=15)
    ap.add_argument("--ner", default="default")
    args = ap.parse_args(argv)
    files = sorted(args.news.glob("*.jsonl.gz"))
    if not files:
        ap.error(f"{args.news}: no *.jsonl.gz files")
    t0 = time.time()
    articles = [r for r in iter_articles([str(f) for f in files]) if not isinstance(r, InputError)]
    sample = random.Random(args.seed).sample(articles, min(args.sample, len(articles)))
    tagger = make_tagger(args.ner)
    lexicon = load_lexicon()
    n_two = n_sp = n_any = 0
    ex_two: list[str] = []
    ex_sp: list[str] = []
    for art in sample:
        two, sp = conflicts(analyze_article(art, tagger, lexicon))
        n_two += bool(two)
        n_sp += bool(sp)
        n_any += bool(two or sp)
        ex_two += [f"{art.id}: {t}" for t in two[:1]]
        ex_sp += [f"{art.id}: {t}" for t in sp[:1]]
    print(f"{len(sample)} articles (seed {args.seed}, of {len(articles)}); {time.time() - t0:.0f}s")
    print(f"articles with one person under two canonical names: {n_any}")
    print(f"  two entities: {n_two}")
    print(f"  speaker vs entity: {n_sp}")
    for title, ex in (("two entities", ex_two), ("speaker vs entity", ex_sp)):
        print(f"examples, {title}:")
        for e in ex[: args.examples]:
            print("  " + e)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
