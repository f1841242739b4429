"""Morphology tables generated from lemmas: the forms of a report verb.

A lemma is given by its stems (``[past, present, participle …]``: 3rd person
masculine singular past, present, and masculine participles) and every form
the analyzer matches is generated from them: the past with ت / وا / ا and
object pronouns, the present with ت- / -ون / -ان and object pronouns, the
participles with their feminine (ة, which the normalizer writes ه) and plural
(ين). Forms are normalized (``normalize.normalize_word``); a leading و/ف is
stripped at match time, not generated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from newsan.normalize import normalize_word

__all__ = ["verb_forms", "cue_forms", "cue_gender"]

_OBJECTS = ("ه", "ها", "هم")


def verb_forms(stems: Sequence[str]) -> set[str]:
    """Every generated form of one lemma (see the module docstring)."""
    out: set[str] = set()
    for k, stem in enumerate(normalize_word(x) for x in stems):
        if not stem:
            continue
        if k == 0:  # past
            weak = stem.endswith(("ي", "ا")) and len(stem) > 2  # نفى -> نفت، نفوا
            base = stem[:-1] if weak else stem
            out |= {stem, base + "ت", base + "وا", base + "يا" if weak else stem + "ا"}
            # the plural's alif drops before an object pronoun: اتهموا -> اتهموه، اعتبروها
            out |= {f + p for f in (stem, base + "ت", base + "و") for p in _OBJECTS}
        elif stem[0] == "ي":  # present
            base = stem[:-1] if stem.endswith(("و", "ي")) and len(stem) > 3 else stem
            out |= {stem, "ت" + stem[1:], base + "ون", base + "ان"}
            out |= {f + p for f in (stem, base + "ون") for p in _OBJECTS}  # يتهمونه
        else:  # participle (masculine accusative)
            base = stem[:-1] if stem.endswith("ا") else stem
            out |= {stem, base + "ه", base + "ين"}
    return out


def cue_forms(section: Any) -> dict[str, str]:
    """Normalized form -> normalized lemma for a ``lemma: [stems]`` mapping."""
    table: dict[str, str] = {}
    if isinstance(section, Mapping):
        for lemma, stems in section.items():
            for f in sorted(verb_forms(stems)):
                table.setdefault(f, normalize_word(lemma))
    return table


def cue_gender(cue: str) -> str:
    """The subject a cue word agrees with, read from its shape: ``p`` (plural:
    قالوا، يقولون), ``f`` (feminine: قالت، تقول، مضيفة) or ``m`` (the unmarked
    form). A leading و/ف is ignored; a participle's plural (مؤكدين، مطالبين) is plural."""
    words = normalize_word(cue).split()
    n = words[0] if words else ""
    if len(n) > 3 and n[0] in "وف":
        n = n[1:]
    if n.endswith(("وا", "ون")) or (n.startswith("م") and n.endswith("ين") and len(n) > 4):
        return "p"  # قالوا، يقولون، مؤكدين
    if n.endswith("ت") or (n.startswith("ت") and len(n) > 3) or (n.startswith("م") and n.endswith("ه")):
        return "f"
    return "m"
