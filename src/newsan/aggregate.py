"""Mentions -> entities per article; analyses -> a corpus view.

Per article (GUIDELINES §2): mentions of one source are grouped under the
fullest form seen (``وانغ`` -> ``وانغ يي``, ``بوتين`` -> ``فلاديمير بوتين``);
the other forms become aliases. Across articles: top speakers, top entities
per label, co-occurring entity pairs, quotes per outlet and per day.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsan.model import Entity, Span
from newsan.normalize import normalize_word

__all__ = ["mention_form", "build_entities", "CorpusSummary"]


def mention_form(span: Span) -> str:
    """The form of a mention as it should be listed: its text, or for a word
    contracted with ل + ال (للحكومة) the form with the article (الحكومة)."""
    text = " ".join(span.text.split())
    norm = normalize_word(text)
    if norm.startswith("لل") and len(norm) > 4:
        return "ال" + text[2:]
    return text


def _tokens(form: str) -> tuple[str, ...]:
    return tuple(normalize_word(form).split())


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n, m = len(longer), len(shorter)
    return m < n and any(longer[i : i + m] == shorter for i in range(n - m + 1))


def build_entities(mentions: Sequence[Span]) -> list[Entity]:
    """Group labelled mentions into entities with canonical form and aliases.

    A form is merged into a longer one of the same label that contains it as a
    token sequence (for people: as the first or last name part). When a form
    was given several labels, the most frequent wins.
    """
    by_form: dict[tuple[str, ...], list[Span]] = defaultdict(list)
    shown: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for m in mentions:
        form = mention_form(m)
        key = _tokens(form)
        if not key:
            continue
        by_form[key].append(m)
        shown[key][form] += 1

    label_of: dict[tuple[str, ...], str] = {}
    for key, ms in by_form.items():
        label_of[key] = Counter(m.label for m in ms).most_common(1)[0][0]

    # longest forms first: each shorter form joins the longest form that contains it
    keys = sorted(by_form, key=lambda k: (-len(k), -len(by_form[k]), k))
    parent: dict[tuple[str, ...], tuple[str, ...]] = {}
    heads: list[tuple[str, ...]] = []
    for key in keys:
        label = label_of[key]
        host = None
        for h in heads:
            if label_of[h] != label or not _contains(h, key):
                continue
            if label == "PERS" and len(key) == 1 and key[0] not in (h[0], h[-1]):
                continue  # a middle token (بن) is not a name of its own
            host = h
            break
        if host is None:
            heads.append(key)
        else:
            parent[key] = host

    groups: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for key in keys:
        groups[parent.get(key, key)].append(key)

    entities: list[Entity] = []
    for head, members in groups.items():
        canonical = shown[head].most_common(1)[0][0]
        aliases: list[str] = []
        for k in members:
            for form, _ in shown[k].most_common():
                if form != canonical and form not in aliases:
                    aliases.append(form)
        ments = tuple(sorted(m for k in members for m in by_form[k]))
        entities.append(Entity(canonical, label_of[head], tuple(aliases), ments))
    entities.sort(key=lambda e: e.mentions[0].start)
    return entities


@dataclass
class CorpusSummary:
    """Counts across a batch of analyzed articles (built incrementally)."""

    documents: int = 0
    failed: int = 0
    quotes: int = 0
    speakers: Counter[str] = field(default_factory=Counter)
    speaker_addressees: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    speaker_quoted_in: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    entities: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    entity_docs: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    cooccurrence: Counter[tuple[str, str]] = field(default_factory=Counter)
    per_outlet: Counter[str] = field(default_factory=Counter)
    per_day: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)

    def add_record(self, record: Mapping[str, Any]) -> None:
        """Fold one exported record (see :func:`newsan.export.to_dict`) into the counts."""
        self.documents += 1
        quotes = record.get("quotes", [])
        self.quotes += len(quotes)
        meta = record.get("meta") or {}
        outlet = meta.get("outlet") or meta.get("source")
        day = _day(meta.get("date"))
        for q in quotes:
            sp = q.get("speaker")
            name = (sp or {}).get("canonical") or (sp or {}).get("text")
            if name:
                self.speakers[name] += 1
                ad = q.get("addressee")
                if ad:
                    self.speaker_addressees[name][ad.get("canonical") or ad["text"]] += 1
                via = q.get("via")
                if via:
                    self.speaker_quoted_in[name][via.get("canonical") or via["text"]] += 1
            if outlet:
                self.per_outlet[str(outlet)] += 1
            if day:
                self.per_day[day] += 1
        ents = record.get("entities", [])
        for e in ents:
            self.entities[e["label"]][e["canonical"]] += e.get("count", 1)
            self.entity_docs[e["label"]][e["canonical"]] += 1
        self._cooccur(ents)

    def _cooccur(self, ents: Iterable[Mapping[str, Any]]) -> None:
        by_sentence: dict[int, set[str]] = defaultdict(set)
        for e in ents:
            for m in e.get("mentions", []):
                s = m.get("sentence")
                if s is not None:
                    by_sentence[s].add(e["canonical"])
        for names in by_sentence.values():
            ordered = sorted(names)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    self.cooccurrence[(a, b)] += 1

    def add_failure(self, reason: str) -> None:
        self.failed += 1
        self.failures[reason] += 1

    def to_dict(self, top: int = 20) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "failed": self.failed,
            "failures": dict(self.failures.most_common()),
            "quotes": self.quotes,
            "top_speakers": [
                {
                    "speaker": s,
                    "quotes": n,
                    "addressees": dict(self.speaker_addressees[s].most_common(5)),
                    "via": dict(self.speaker_quoted_in[s].most_common(5)),
                }
                for s, n in self.speakers.most_common(top)
            ],
            "top_entities": {
                label: [
                    {"canonical": c, "mentions": n, "documents": self.entity_docs[label][c]}
                    for c, n in self.entities[label].most_common(top)
                ]
                for label in ("PERS", "LOC", "ORG", "MISC")
            },
            "cooccurrence": [{"a": a, "b": b, "sentences": n} for (a, b), n in self.cooccurrence.most_common(top)],
            "quotes_per_outlet": dict(self.per_outlet.most_common()),
            "quotes_per_day": dict(sorted(self.per_day.items())),
        }


def _day(date: Any) -> str | None:
    """YYYY-MM-DD from the date formats of news metadata (ISO or DD/MM/YYYY)."""
    if not isinstance(date, str) or not date.strip():
        return None
    d = date.strip()
    if len(d) >= 10 and d[4] == "-" and d[7] == "-":
        return d[:10]
    parts = d.split()[0].split("/")
    if len(parts) == 3 and len(parts[2]) == 4 and all(p.isdigit() for p in parts):
        return f"{parts[2]}-{int(parts[1]):02d}-{int(parts[0]):02d}"
    return None
