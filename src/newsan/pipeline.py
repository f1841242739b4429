"""The analysis of one article: segment -> entities -> quotations.

:func:`analyze_article` is the single place where the stages run in order; the
CLI, the worker processes and the Dask backend all call it.
"""

from __future__ import annotations

import gc
import sys
from dataclasses import dataclass
from functools import cache

from newsan.aggregate import build_entities, role_titles, unify_speakers
from newsan.errors import NewsanError
from newsan.extract.entities import Tagger, find_mentions
from newsan.extract.quotes import extract_quotes
from newsan.lexicons import Lexicon, load_lexicon
from newsan.model import Analysis, Article
from newsan.segment import segment

__all__ = ["Analyzer", "analyze_article", "make_tagger", "NER_CHOICES", "QUOTE_CHOICES"]

NER_CHOICES = "default | crf+nn | none | camel | camel:PATH"


def make_tagger(spec: str = "default", domain: str = "news") -> Tagger | None:
    """The entity tagger named by ``--ner``, for text of ``domain``.

    ``default`` (or ``crf``): the embedded CRF shipped in the package;
    ``crf+nn``: that CRF and the embedded neural network decoded together
    (higher recall on ANERcorp, half the speed); ``none``: names lexicon only; ``camel``: camel-tools' BERT model from ``camel_data``;
    ``camel:PATH``: a fine-tuned BERT token-classification folder.

    ``domain`` (``news``, what the analyzer reads, or ``general``: ANERcorp's
    newswire) selects the embedded CRF's domain copy of its features when the
    model has one (``newsan.extract.tagger.DOMAINS``); the other backends
    ignore it.
    """
    if domain not in ("news", "general"):
        raise NewsanError(f"unknown text domain '{domain}' (choose news | general)")
    if spec in ("default", "crf"):
        from newsan.extract.tagger import default_tagger

        return default_tagger(domain)
    if spec == "crf+nn":
        from newsan.extract.tagger import combined_tagger

        return combined_tagger(domain)
    if spec == "none":
        return None
    if spec == "camel" or spec.startswith("camel:"):
        from newsan.extract.camel_ner import CamelBertTagger

        path = spec.partition(":")[2] or None
        return CamelBertTagger(path)
    raise NewsanError(f"unknown --ner backend '{spec}' (choose {NER_CHOICES})")


QUOTE_CHOICES = ("learned", "rules")


def analyze_article(article: Article, tagger: Tagger | None, lexicon: Lexicon, quotes_mode: str = "learned") -> Analysis:
    """Run every stage on one article.

    ``quotes_mode`` ``learned`` (the default): the rules propose quotations and
    the shipped quotation model (``models/quotes.json``) decides speakers and
    which ones to keep; ``rules``: the rules' quotations as they are.
    """
    seg = segment(article.text)
    mentions = find_mentions(seg, tagger, lexicon)
    entities = build_entities(mentions)
    quotes, quote_warnings = extract_quotes(seg, lexicon, entities)
    if quotes_mode == "learned":
        from newsan.extract.decide import apply_model, load_model, with_candidates

        model = load_model()
        if model is not None:
            quotes = apply_model(
                with_candidates(seg, lexicon, entities, quotes), seg.sentences, entities, lexicon, model, article.text
            )
    # one person, one name: a speaker takes the canonical name of the entity it refers to
    quotes = unify_speakers(quotes, entities, article.text, role_titles(lexicon))
    warnings = tuple(article.warnings) + tuple(seg.warnings) + tuple(quote_warnings)
    # one warning per distinct message, in order
    warnings = tuple(dict.fromkeys(warnings))
    return Analysis(article, seg.sentences, tuple(quotes), tuple(entities), warnings)


@dataclass(frozen=True)
class Analyzer:
    """Settings that travel to worker processes: rebuilt there once, then cached."""

    ner: str = "default"
    lexicon_path: str | None = None
    quotes: str = "learned"

    def __call__(self, article: Article) -> Analysis:
        tagger, lexicon = _resources(self)
        return analyze_article(article, tagger, lexicon, self.quotes)

    def check(self) -> None:
        """Load the tagger and the lexicon now, so that errors surface before the run."""
        if self.quotes not in QUOTE_CHOICES:
            raise NewsanError(f"unknown --quotes mode '{self.quotes}' (choose {' | '.join(QUOTE_CHOICES)})")
        _resources(self)

    def release(self) -> None:
        """Drop this process's loaded tagger: a parent whose workers do the
        analysis need not keep a model in memory beside theirs."""
        _resources.cache_clear()
        if "newsan.extract.tagger" in sys.modules:
            sys.modules["newsan.extract.tagger"].clear_packaged()
        gc.collect()


@cache
def _resources(analyzer: Analyzer) -> tuple[Tagger | None, Lexicon]:
    return make_tagger(analyzer.ner), load_lexicon(analyzer.lexicon_path)
