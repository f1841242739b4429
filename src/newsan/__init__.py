"""newsan: quotations and named entities in Arabic news.

Two functions cover the library's use; both return the public JSON record that
``newsan analyze -f jsonl`` writes (fields: id, path, title, meta, stats,
quotes, entities, warnings; see README "Output" and docs/GUIDE.md):

>>> from newsan import analyze, analyze_many
>>> record = analyze("الوزير يؤكد\\nقال وزير الخارجية إن العلاقات متينة.", id="a1",
...                  meta={"outlet": "وكالة", "date": "2017-01-02"})
>>> [q["speaker"]["canonical"] for q in record["quotes"]]  # doctest: +SKIP
['وزير الخارجية']
>>> for rec in analyze_many([{"id": "1", "text": "…"}, {"id": "2", "text": "…"}], errors="skip"):
...     ...  # doctest: +SKIP

Every span (cue, content, speaker, role, addressee, via, entity mention)
carries ``start``/``end`` character offsets into the text as given, and
``text[start:end] == span["text"]``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["analyze", "analyze_many", "__version__"]

_log = logging.getLogger(__name__)


def analyze(
    text: str,
    *,
    id: str = "doc",
    title: str | None = None,
    meta: Mapping[str, Any] | None = None,
    ner: str = "default",
    lexicon: str | None = None,
) -> dict[str, Any]:
    """Analyze one article and return its public JSON record.

    ``text`` is the article as a string; unless ``title`` is given, its first
    line is the title (as for ``.txt`` files). With ``title``, the record's
    text is ``title + "\\n" + text`` (as for JSON Lines records), so offsets
    count from the title's first character. ``meta`` (outlet, date, url, any
    JSON-able value) is carried into the record's ``meta``; the corpus views
    use ``outlet`` (or ``source``) and ``date``. ``ner`` and ``lexicon`` are
    the ``--ner`` and ``--lexicon`` options of ``newsan analyze``; the tagger
    and lexicon are loaded once per process and reused by later calls.

    Raises :class:`newsan.errors.InputError` for an empty text or one without
    Arabic, :class:`newsan.errors.NewsanError` for an unknown ``ner`` backend
    or a bad lexicon file.
    """
    from newsan.export import to_dict
    from newsan.pipeline import Analyzer

    article = _article({**dict(meta or {}), "text": text, "id": id, "title": title}, 1)
    return to_dict(Analyzer(ner=ner, lexicon_path=lexicon)(article))


def analyze_many(
    items: Iterable[str | Mapping[str, Any]],
    *,
    ner: str = "default",
    lexicon: str | None = None,
    jobs: int = 1,
    errors: str = "raise",
) -> Iterator[dict[str, Any]]:
    """Analyze many articles; yield their records in input order, as they are done.

    Each item is a text (first line the title; its id is its position, from
    1) or a mapping shaped like a JSON Lines record: ``text`` (required),
    optional ``id`` and ``title``, every other key kept as metadata. ``jobs``
    worker processes share the work (1: in this process; it pays for
    thousands of articles, see README "Start-up"). ``errors``: ``"raise"``
    stops at the first document that cannot be analyzed with its
    :class:`newsan.errors.InputError`; ``"skip"`` logs it on the ``newsan``
    logger and goes on. The iterator is lazy: items are read as the workers
    need them, so a generator over a big corpus stays in flat memory.
    """
    from newsan.errors import InputError
    from newsan.pipeline import Analyzer
    from newsan.runner import analyze_stream

    if errors not in ("raise", "skip"):
        raise ValueError(f"errors must be 'raise' or 'skip', not {errors!r}")
    analyzer = Analyzer(ner=ner, lexicon_path=lexicon)
    analyzer.check()  # an unknown backend or a bad lexicon fails here, before any work

    def articles() -> Iterator[Any]:
        for n, item in enumerate(items, 1):
            obj = {"text": item} if isinstance(item, str) else item
            try:
                yield _article(obj, n)
            except InputError as exc:
                yield exc

    for outcome in analyze_stream(articles(), analyzer, jobs=max(1, jobs)):
        if outcome.record is not None:
            yield outcome.record
        elif errors == "raise":
            raise InputError(outcome.path, outcome.reason or outcome.error or "failed")
        else:
            _log.warning("%s", outcome.error or outcome.path)


def _article(obj: Mapping[str, Any], position: int) -> Any:
    """An Article from a JSON-Lines-shaped mapping, by the loader's own rules
    (:func:`newsan.load._record`: title joined to the text, other keys as
    metadata; the id defaults to ``position``); its path is ``<python>#ID``.
    Raises InputError."""
    import json

    from newsan.errors import InputError
    from newsan.load import _record

    obj = {k: v for k, v in obj.items() if v is not None}
    try:
        line = json.dumps(obj, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise InputError(f"<python>#{obj.get('id', position)}", f"metadata is not JSON-able ({exc})") from None
    result = _record(line, "<python>", position)
    if isinstance(result, InputError):
        raise result
    return result
