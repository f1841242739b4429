"""Gold document-level entities -> mention-level BIO tags on the analyzer's tokens.

The gold files of ``shared/eval/train`` list each article's entities once
(canonical form, label, aliases; GUIDELINES §2). Training a tagger needs
labelled mentions, so :func:`project_article` finds every occurrence of every
form of every entity among the analyzer's own tokens (:func:`newsan.segment.segment`,
the tokens the tagger sees at run time) and labels it:

- forms and tokens are compared in the analyzer's normalized form
  (:func:`newsan.normalize.normalize_word`, the one normalizer), so the
  article's spelling variants (أ/ا, ة/ه, ى/ي, diacritics, tatweel) match;
- the first word of a mention may carry a proclitic of the lexicon's
  ``proclitics`` section (و ف ب ل ك and their combinations), also before the
  article (بالقاهرة, والصين) and contracted with it (للحكومة = ل + الحكومة);
- white space inside a name is not significant (عبد الله = عبدالله);
- where occurrences overlap, the longest wins (نداء تونس over تونس).

What cannot be projected is reported (:class:`ProjectionReport`): gold forms
found nowhere at a token boundary (absent from the text, or only inside a
longer word), entities with no mention at all, and occurrences lost to a
longer overlapping occurrence of another label.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsan.lexicons import Lexicon, load_lexicon
from newsan.model import Token
from newsan.normalize import normalize_word
from newsan.segment import segment

__all__ = [
    "ProjectedArticle",
    "ProjectionReport",
    "form_keys",
    "load_gold_dir",
    "match_forms",
    "proclitic_prefixes",
    "project_article",
    "project_dir",
]

LABELS = ("PERS", "LOC", "ORG", "MISC")


@dataclass
class ProjectedArticle:
    """One article's sentences as (token texts, BIO tags) and what was left out."""

    id: str
    sentences: list[tuple[list[str], list[str]]]
    #: (entity canonical, label, form, reason) for each gold form never matched
    unmatched_forms: list[tuple[str, str, str, str]] = field(default_factory=list)
    #: (canonical, label) of entities with no projected mention
    unprojected: list[tuple[str, str]] = field(default_factory=list)
    #: (text, label, winner label) of occurrences dropped for a longer overlapping one
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)
    mentions: int = 0
    entities: int = 0


@dataclass
class ProjectionReport:
    """Totals over a set of articles, with examples of each failure."""

    articles: int = 0
    entities: int = 0
    entities_projected: int = 0
    forms: int = 0
    forms_unmatched: Counter[str] = field(default_factory=Counter)
    mentions: int = 0
    mentions_by_label: Counter[str] = field(default_factory=Counter)
    conflicts: int = 0
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, art: ProjectedArticle, n_forms: int) -> None:
        self.articles += 1
        self.entities += art.entities
        self.entities_projected += art.entities - len(art.unprojected)
        self.forms += n_forms
        self.mentions += art.mentions
        for _, tags in art.sentences:
            self.mentions_by_label.update(t[2:] for t in tags if t.startswith("B-"))
        for canonical, label, form, reason in art.unmatched_forms:
            self.forms_unmatched[reason] += 1
            self._example(f"form {reason}", f"{art.id}: {form} ({label}, of {canonical})")
        for canonical, label in art.unprojected:
            self._example("entity without mention", f"{art.id}: {canonical} ({label})")
        self.conflicts += len(art.conflicts)
        for text, label, winner in art.conflicts:
            self._example("overlap lost", f"{art.id}: {text} ({label}) inside a longer {winner}")

    def _example(self, kind: str, text: str, keep: int = 12) -> None:
        ex = self.examples.setdefault(kind, [])
        if len(ex) < keep:
            ex.append(text)

    def format(self) -> str:
        lines = [
            f"articles {self.articles}; gold entities {self.entities}, with at least one projected mention "
            f"{self.entities_projected} ({self.entities_projected / max(self.entities, 1):.1%})",
            f"gold forms (canonical + aliases) {self.forms}; never matched at a token boundary "
            f"{sum(self.forms_unmatched.values())}: "
            + ", ".join(f"{k} {v}" for k, v in sorted(self.forms_unmatched.items())),
            f"projected mentions {self.mentions}: "
            + ", ".join(f"{lab} {self.mentions_by_label[lab]}" for lab in LABELS),
            f"occurrences dropped for a longer overlapping occurrence of another entity: {self.conflicts}",
        ]
        for kind, ex in sorted(self.examples.items()):
            lines.append(f"examples, {kind}:")
            lines.extend("  " + e for e in ex)
        return "\n".join(lines)


def form_keys(form: str) -> str:
    """A gold form as the matcher compares it: normalized, without white space."""
    return "".join(normalize_word(form).split())


def proclitic_prefixes(lexicon: Lexicon, allowed: str | None = None) -> list[tuple[str, str]]:
    """(written prefix, what it stands for) pairs a mention's first word may carry:
    nothing, each proclitic, and ل-ending proclitics contracted with ال (لل = ل + ال).

    ``allowed`` keeps only the prefixes written with those letters (``"وف"``: the
    conjunctions a cue verb may carry)."""
    procs = sorted(lexicon.words("proclitics"), key=len, reverse=True)
    out = [("", "")]
    for p in procs:
        out.append((p, ""))
        if p.endswith("ل"):
            out.append((p + "ل", "ال"))  # للحكومة: ل + الحكومة, ولل...
    if ("لل", "ال") not in out:
        out.append(("لل", "ال"))
    if allowed is not None:
        out = [(w, s) for w, s in out if not s and set(w) <= set(allowed)]
    return out


def match_forms(
    toks: Sequence[Token], key: str, prefixes: Sequence[tuple[str, str]]
) -> list[tuple[int, int, str, str]]:
    """Token ranges ``(i, j, written, stands)`` whose normalized text, white space
    removed and the first word's proclitic ``written`` taken off (standing for
    ``stands``: ``ال`` when contracted, else nothing), equals ``key``."""
    out: list[tuple[int, int, str, str]] = []
    n = len(toks)
    for i in range(n):
        first = toks[i].norm
        for written, stands in prefixes:
            if not first.startswith(written):
                continue
            if written and len(first) - len(written) < 2:
                continue
            head = stands + first[len(written):]
            if not key.startswith(head):
                continue
            acc, j = head, i + 1
            while len(acc) < len(key) and j < n:
                acc += toks[j].norm
                j += 1
            if acc == key:
                out.append((i, j, written, stands))
                break
    return out


def _matches(toks: Sequence[Token], key: str, prefixes: list[tuple[str, str]]) -> list[tuple[int, int]]:
    """Token ranges whose normalized text, white space removed and the first
    word's proclitic taken off, equals ``key`` (see :func:`match_forms`)."""
    return [(i, j) for i, j, _, _ in match_forms(toks, key, prefixes)]


def project_article(
    text: str, gold: dict[str, Any], lexicon: Lexicon | None = None, article_id: str = ""
) -> ProjectedArticle:
    """Tag every occurrence of the gold entities of one article (see module doc)."""
    lexicon = lexicon or load_lexicon()
    prefixes = proclitic_prefixes(lexicon)
    seg = segment(text)
    ents = [e for e in gold.get("entities", []) if e.get("label") in LABELS]
    art = ProjectedArticle(article_id or str(gold.get("id", "")), [], entities=len(ents))
    view_norm = "".join(normalize_word(seg.view.raw).split())
    # every candidate occurrence: (sentence, start, end, label, entity index, key length)
    cands: list[tuple[int, int, int, str, int, int]] = []
    for k, e in enumerate(ents):
        forms = [e["canonical"], *e.get("aliases", [])]
        for form in dict.fromkeys(f for f in forms if f and f.strip()):
            key = form_keys(form)
            if not key:
                continue
            found = False
            for s, sent in enumerate(seg.sentences):
                for a, b in _matches(sent.tokens, key, prefixes):
                    cands.append((s, a, b, e["label"], k, len(key)))
                    found = True
            if not found:
                reason = "inside a longer word" if key in view_norm else "absent from the text"
                art.unmatched_forms.append((e["canonical"], e["label"], form, reason))
    # longest first; ties: earlier entity in the gold list
    cands.sort(key=lambda c: (-c[5], -(c[2] - c[1]), c[4], c[0], c[1]))
    tags = [["O"] * len(s.tokens) for s in seg.sentences]
    owner: list[list[int]] = [[-1] * len(s.tokens) for s in seg.sentences]
    projected: set[int] = set()
    for s, a, b, label, k, _ in cands:
        taken = {owner[s][x] for x in range(a, b)} - {-1}
        if taken:
            if k not in taken:
                winner = ents[next(iter(taken))]["label"]
                if winner != label:
                    words = " ".join(t.text for t in seg.sentences[s].tokens[a:b])
                    art.conflicts.append((words, label, winner))
            continue
        for x in range(a, b):
            owner[s][x] = k
            tags[s][x] = ("B-" if x == a else "I-") + label
        projected.add(k)
        art.mentions += 1
    art.unprojected = [(e["canonical"], e["label"]) for k, e in enumerate(ents) if k not in projected]
    art.sentences = [([t.text for t in sent.tokens], tags[s]) for s, sent in enumerate(seg.sentences)]
    return art


def load_gold_dir(folder: str | Path) -> list[tuple[str, str, dict[str, Any]]]:
    """(id, text, gold) for each NNN.json / NNN.txt pair of a gold folder, in name order.

    The text is read as the analyzer reads it (:func:`newsan.load.article_from_text`).
    """
    from newsan.evaluate import gold_articles

    return [(article.id, article.text, gold) for article, gold in gold_articles(folder)]


def project_dir(
    folder: str | Path, ids: Iterable[str] | None = None, lexicon: Lexicon | None = None
) -> tuple[list[ProjectedArticle], ProjectionReport]:
    """Project every article of a gold folder (or those of ``ids``)."""
    lexicon = lexicon or load_lexicon()
    wanted = set(ids) if ids is not None else None
    report = ProjectionReport()
    arts = []
    for aid, text, gold in load_gold_dir(folder):
        if wanted is not None and aid not in wanted:
            continue
        art = project_article(text, gold, lexicon, aid)
        n_forms = sum(
            len(dict.fromkeys(f for f in [e["canonical"], *e.get("aliases", [])] if f and f.strip()))
            for e in gold.get("entities", [])
            if e.get("label") in LABELS
        )
        report.add(art, n_forms)
        arts.append(art)
    return arts, report


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m newsan.projection GOLD_DIR [--bio OUT]``: the projection report,
    and optionally the projected sentences as a CoNLL file (token TAB tag)."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m newsan.projection", description=main.__doc__)
    ap.add_argument("gold_dir", type=Path)
    ap.add_argument("--bio", type=Path, help="write the projected sentences here (CoNLL: token<TAB>tag)")
    args = ap.parse_args(argv)
    if not args.gold_dir.is_dir():
        ap.error(f"{args.gold_dir}: not a folder")
    arts, report = project_dir(args.gold_dir)
    if not arts:
        ap.error(f"{args.gold_dir}: no NNN.txt / NNN.json pairs found")
    print(report.format())
    if args.bio is not None:
        lines = []
        for art in arts:
            lines.append(f"# {art.id}")
            for toks, tags in art.sentences:
                lines.extend(f"{t}\t{g}" for t, g in zip(toks, tags, strict=True))
                lines.append("")
        tmp = args.bio.with_name(args.bio.name + ".tmp")
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        tmp.replace(args.bio)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
