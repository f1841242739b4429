"""Build the person-name word list of the NER tagger (``models/ner_names.tsv``).

Source: the English -> Arabic name dictionary of the ``arabnamer`` package
(``arabnamer/data/dict_FINAL.json``, 22,797 pairs drawn from JRC-Names and
audited by hand; data licence CC BY 4.0, code MIT; Yousef, E., 2026,
https://github.com/sayedyousef/arabnamer). It spells foreign names the way
Arabic news transliterates them (آلتونين, ليفاندوفسكي, بروخوروف), which is what the
tagger's training corpora lack. arabnamer is not a dependency: fetch its wheel
once and point this script at it::

    pip download --no-deps arabnamer==0.1.3 -d /tmp/arabnamer
    python scripts/build_name_list.py /tmp/arabnamer/arabnamer-0.1.3-py3-none-any.whl

What is kept: every one-word Arabic spelling, and the name part of the
compounds عبد/بن/ابن/أبو/آل + name. Other multi-word entries (the dictionary
also holds translations such as "عربة التسوق" for the surname Cart) are
dropped, and so are words that the CC BY-SA Wikipedia corpora (AQMAR,
WikiFANE; ``--data``) use mostly as ordinary words: على, كان, بين are names
too, but a feature that fires on them says little. ANERcorp is not read, so
held-out scores stay clean. Words are stored as the tagger looks them up
(normalized, without ال). The output is deterministic.
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from train_ner import load_aqmar, load_wikifane, retokenize_gold

from newsan.extract.tagger import NAMES_FILE, FeatureExtractor, Lexicons, _bare, normalize_word

MEMBER = "arabnamer/data/dict_FINAL.json"
NAME_HEADS = {"عبد", "بن", "ابن", "ابو", "ال"}  # normalized: أبو -> ابو, آل -> ال
HEADER = (
    "# Person-name words for newsan NER (feature NAME), derived from arabnamer's\n"
    "# name dictionary (Yousef, E., 2026, https://github.com/sayedyousef/arabnamer),\n"
    "# CC BY 4.0: normalized, compounds reduced to their name part, phrases and\n"
    "# ordinary words dropped.\n"
    "# Rebuilt by scripts/build_name_list.py; see MODEL_CARD.md.\n"
)


def read_pairs(source: Path) -> dict[str, str]:
    """The English -> Arabic pairs from the wheel (or the JSON file itself)."""
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as zf:
            return json.loads(zf.read(MEMBER).decode("utf-8"))
    return json.loads(source.read_text(encoding="utf-8"))


def name_words(arabic: list[str]) -> list[str]:
    """Sorted distinct lookup keys of the name words in ``arabic`` spellings."""
    keys: set[str] = set()
    for spelling in arabic:
        parts = [normalize_word(p) for p in spelling.split()]
        if len(parts) == 2 and parts[0] in NAME_HEADS:
            parts = parts[1:]
        if len(parts) != 1:
            continue
        key = _bare(parts[0])
        if len(key) >= 2 and all("\u0621" <= c <= "\u064a" for c in key):
            keys.add(key)
    return sorted(keys)


def ordinary_words(data: Path, min_count: int, max_share: float) -> set[str]:
    """Keys seen ``min_count`` times or more in the Wikipedia corpora, inside
    entities less than ``max_share`` of the time."""
    sents = [retokenize_gold(s) for s in load_aqmar(data / "aqmar")]
    sents += [retokenize_gold(s) for s in load_wikifane(data / "fane-gold" / "WikiFANE_Gold_2014_500K.txt")]
    extractor = FeatureExtractor(Lexicons.empty())
    total: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    for toks, tags in sents:
        for k, tag in zip(extractor.bares(toks), tags, strict=True):
            total[k] += 1
            inside[k] += tag != "O"
    return {k for k, n in total.items() if n >= min_count and inside[k] < max_share * n}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", type=Path, help="arabnamer wheel or its dict_FINAL.json")
    ap.add_argument("--out", type=Path, default=REPO / "src" / "newsan" / "models" / NAMES_FILE)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "ner")
    ap.add_argument("--min-count", type=int, default=5, help="occurrences before a word can be called ordinary")
    ap.add_argument("--max-share", type=float, default=0.5, help="largest share inside entities of an ordinary word")
    args = ap.parse_args(argv)
    ordinary = ordinary_words(args.data, args.min_count, args.max_share)
    words = [w for w in name_words(list(read_pairs(args.source).values())) if w not in ordinary]
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(HEADER + "".join(w + "\n" for w in words), encoding="utf-8")
    tmp.replace(args.out)
    print(f"{len(words)} name words -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
