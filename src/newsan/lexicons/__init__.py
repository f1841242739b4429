"""Language data (cue verbs, titles, proclitics, names …) as YAML package data.

Every ``*.yaml`` file in this folder is a mapping of *sections*. A section is
either a list of strings (``cue_verbs: [قال, قالت, …]``) or a mapping of labels
to lists of strings (``names: {PERS: […], LOC: […]}``). The files are parsed
once per process and their entries are normalized on load (see
:func:`newsan.normalize.normalize_word`), so matching compares like with like.

A user's ``--lexicon FILE.yaml`` uses the same schema: a section name, same
shape; its entries are added to the packaged ones. :data:`USER_SECTIONS` lists
the sections meant for users (documented in docs/GUIDE.md); the other packaged
sections tune the extractors' rules and the tagger's features. They are still
accepted, but a misspelt section name is answered with the user sections only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from newsan.errors import LexiconError
from newsan.normalize import normalize_word

__all__ = ["USER_SECTIONS", "Lexicon", "load_lexicon", "packaged_sections"]

#: The sections a user's lexicon file is meant to set, with what each holds
#: (docs/GUIDE.md, "Writing a lexicon", has an example of each).
USER_SECTIONS: dict[str, str] = {
    "names": "known names by label (PERS, LOC, ORG, MISC): always entities of that label",
    "not_names": "words never listed as entities, whatever the tagger says",
    "outlets": "news outlets whose names are everyday words (label ORG): entities where they stand as an outlet",
    "sport_clubs": "sports clubs (label ORG): entities in sports reports",
    "name_heads": "head nouns that open a multi-word name, by label (ORG: [جمعية])",
    "cue_verbs": "verbs of saying: lemma -> its surface forms (أكد: [أكد, أكدت, يؤكد])",
    "cue_participles": "participles of saying: lemma -> forms (مضيفا, مؤكدة)",
    "attribution_phrases": "phrases before a source, content before them (وفقا ل, بحسب)",
    "speech_nouns": "nouns of speech skipped after an attribution phrase (بحسب نص البيان)",
    "titles": "role nouns that head a role phrase (وزير, المتحدث)",
    "honorifics": "honorifics dropped from the speaker and the role (معالي, الدكتور)",
    "org_nouns": "organization nouns that continue a role phrase (شركة, نادي)",
    "outlet_nouns": "nouns of outlets that relay a statement, the via field (وكالة, قناة)",
    "source_nouns": "descriptive sources with no name (مصادر, مسؤول)",
}

Section = tuple[str, ...] | dict[str, tuple[str, ...]]

# libyaml's parser when PyYAML was built with it (the wheels are): it reads the
# packaged lexicons in a tenth of the pure-Python parser's time, same result.
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: Any, mark: Any) -> None:
        super().__init__(f"key {key!r} appears twice")
        self.key, self.problem_mark = key, mark


class _StrictLoader(_YAML_LOADER):  # type: ignore[misc,valid-type]
    """YAML's safe loader (libyaml's when available), refusing a key repeated in
    one mapping (plain YAML silently keeps the last, which would drop the first
    list of names)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (str, int, float, bool)) or key is None:
                if key in seen:
                    raise _DuplicateKey(key, key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read_yaml(text: str, origin: str) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a safe loader subclass
    except _DuplicateKey as exc:
        raise LexiconError(f"{origin}: '{exc.key}' is defined twice (line {exc.problem_mark.line + 1})") from None
    except yaml.YAMLError as exc:
        if "nesting depth" in str(getattr(exc, "problem", "") or ""):  # libyaml's own bound
            raise LexiconError(f"{origin}: not a lexicon (nested too deeply)") from None
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise LexiconError(f"{origin}: not valid YAML{where}") from None
    except RecursionError:
        raise LexiconError(f"{origin}: not a lexicon (nested too deeply)") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise LexiconError(f"{origin}: expected a mapping of sections at the top level")
    return data


def _check_section(name: str, value: Any, origin: str) -> Section:
    def strings(items: Any, where: str) -> tuple[str, ...]:
        if not isinstance(items, list):
            raise LexiconError(f"{origin}: {where} must be a list of strings")
        bad = [x for x in items if not isinstance(x, str) or not x.strip()]
        if bad:
            raise LexiconError(f"{origin}: {where} has an entry that is not a non-empty string: {bad[0]!r}")
        # an entry that normalizes to nothing (only tatweel, diacritics, invisible marks) matches nothing
        empty = [x for x in items if not normalize_word(x.strip()).strip()]
        if empty:
            raise LexiconError(f"{origin}: {where} has an entry with no letters: {empty[0]!r}")
        return tuple(x.strip() for x in items)

    if isinstance(value, dict):
        return {str(k): strings(v, f"section '{name}', label '{k}'") for k, v in value.items()}
    return strings(value, f"section '{name}'")


@cache
def _packaged() -> dict[str, Section]:
    sections: dict[str, Section] = {}
    for entry in sorted(files("newsan.lexicons").iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".yaml"):
            continue
        origin = f"newsan/lexicons/{entry.name}"
        for name, value in _read_yaml(entry.read_text(encoding="utf-8"), origin).items():
            if name in sections:
                raise LexiconError(f"{origin}: section '{name}' is defined twice")
            sections[name] = _check_section(name, value, origin)
    return sections


def packaged_sections() -> dict[str, Section]:
    """The packaged sections, as written (not normalized)."""
    return dict(_packaged())


@dataclass(frozen=True)
class Lexicon:
    """Merged, normalized lexicon sections."""

    sections: Mapping[str, Section]

    def words(self, name: str) -> frozenset[str]:
        """Normalized entries of a list section (or of all labels of a mapping section)."""
        return _normalized_set(self, name)

    def labelled(self, name: str) -> dict[str, str]:
        """Normalized entry -> label, for a mapping section such as ``names``."""
        return _normalized_map(self, name)

    def raw(self, name: str) -> Section:
        return self.sections.get(name, ())

    def __hash__(self) -> int:
        return id(self)


@cache
def _normalized_set(lex: Lexicon, name: str) -> frozenset[str]:
    value = lex.sections.get(name, ())
    items: Iterable[str] = (
        (x for v in value.values() for x in v) if isinstance(value, dict) else value
    )
    return frozenset(normalize_word(x) for x in items)


@cache
def _normalized_map(lex: Lexicon, name: str) -> dict[str, str]:
    value = lex.sections.get(name, {})
    if not isinstance(value, dict):
        raise LexiconError(f"section '{name}' is not a mapping of labels")
    return {normalize_word(x): label for label, xs in value.items() for x in xs}


@cache
def _default() -> Lexicon:
    return Lexicon(_packaged())


def load_lexicon(extra: str | Path | None = None) -> Lexicon:
    """The packaged lexicon, plus the entries of a user's YAML file if given.

    Raises :class:`LexiconError` naming the file and the problem when the user's
    file is unreadable, is not YAML, uses an unknown section or the wrong shape.
    """
    if extra is None:
        return _default()
    return _with_user_file(str(extra))


def _unknown_section(name: str) -> str:
    """The error for a section name that does not exist: the closest user
    section if one is close, and the list of user sections (internal ones are
    not listed: nobody can look them up)."""
    import difflib

    close = difflib.get_close_matches(name, list(USER_SECTIONS), n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown section '{name}' ({hint}sections: {', '.join(USER_SECTIONS)}; see docs/GUIDE.md)"


@cache
def _with_user_file(path: str) -> Lexicon:
    packaged = _packaged()
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read lexicon ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise LexiconError(f"{path}: lexicon is not UTF-8 text") from None
    merged: dict[str, Section] = dict(packaged)
    for name, value in _read_yaml(text, path).items():
        if name not in packaged:
            raise LexiconError(f"{path}: {_unknown_section(str(name))}")
        checked = _check_section(name, value, path)
        base = packaged[name]
        if isinstance(base, dict) != isinstance(checked, dict):
            shape = "a mapping of labels to lists" if isinstance(base, dict) else "a list of strings"
            raise LexiconError(f"{path}: section '{name}' must be {shape}")
        if isinstance(base, dict):
            assert isinstance(checked, dict)
            unknown = set(checked) - (set(base) | ({"PERS", "LOC", "ORG", "MISC"} if name == "names" else set()))
            if unknown and name == "names":
                raise LexiconError(
                    f"{path}: section 'names' has unknown label '{sorted(unknown)[0]}' "
                    "(use PERS, LOC, ORG or MISC)"
                )
            combined = dict(base)
            for label, xs in checked.items():
                combined[label] = tuple(combined.get(label, ())) + xs
            merged[name] = combined
        else:
            assert isinstance(base, tuple) and isinstance(checked, tuple)
            merged[name] = base + checked
    return Lexicon(merged)
