"""newsan: quotations and named entities in Arabic news.

>>> from newsan import analyze
>>> record = analyze("قال الوزير إن الاجتماع كان مثمرا.")
"""

from __future__ import annotations

import logging
from typing import Any

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["analyze", "__version__"]


def analyze(text: str, *, id: str = "doc", ner: str = "default", lexicon: str | None = None) -> dict[str, Any]:
    """Analyze one article's text (title line, newline, body) and return its
    public JSON record (see :mod:`newsan.export`)."""
    from newsan.export import to_dict
    from newsan.load import article_from_text
    from newsan.pipeline import Analyzer

    article = article_from_text(text, id, id=id)
    return to_dict(Analyzer(ner=ner, lexicon_path=lexicon)(article))
