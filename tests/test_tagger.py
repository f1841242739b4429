"""The embedded CRF tagger: normalization, features, the packaged model."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from newsan.eval_ner import evaluate_conll
from newsan.extract.tagger import (
    LABELS,
    MODEL_FILE,
    Lexicons,
    combined_tagger,
    default_tagger,
    normalize_word,
    sentence_features,
    split_proclitics,
)

SHARED = Path(__file__).parents[2] / "shared"
ANER = SHARED / "data" / "ner" / "anercorp-camellab"


@pytest.mark.parametrize(
    "raw, norm",
    [
        ("الرَّئِيسُ", "الرئيس"),
        ("القـــاهرة", "القاهره"),
        ("أحمد", "احمد"),
        ("إسرائيل", "اسرائيل"),
        ("مصطفى", "مصطفي"),
        ("\u200fبيروت", "بيروت"),
        ("٢٠٠٦", "2006"),
        ("ﻻ", "لا"),
        ("NATO", "nato"),
    ],
)
def test_tagger_normalize_word(raw: str, norm: str) -> None:
    assert normalize_word(raw) == norm


@given(st.text(max_size=12))
def test_tagger_normalize_word_is_idempotent(word: str) -> None:
    once = normalize_word(word)
    assert normalize_word(once) == once


@pytest.mark.parametrize(
    "norm, split",
    [
        ("وبالقاهره", ("وبال", "القاهره")),
        ("للرئيس", ("لل", "الرئيس")),
        ("والصين", ("وال", "الصين")),
        ("وسوريه", ("و", "سوريه")),
        ("ولد", ("", "ولد")),
        ("بل", ("", "بل")),
        ("محمد", ("", "محمد")),
    ],
)
def test_tagger_split_proclitics(norm: str, split: tuple[str, str]) -> None:
    assert split_proclitics(norm) == split


def test_tagger_features_share_stem_across_clitics() -> None:
    lex = Lexicons.empty()
    plain = sentence_features(["القاهرة"], lex)[0]
    clitic = sentence_features(["وبالقاهرة"], lex)[0]
    assert "b=قاهره" in plain and "b=قاهره" in clitic


def test_tagger_trigger_entries_are_usable() -> None:
    text = resources.files("newsan.lexicons").joinpath("ner_triggers.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert all(name.startswith("ner_") for name in data)
    for words in data.values():
        for w in words:
            assert isinstance(w, str) and normalize_word(w), w


def test_tagger_model_file_is_small() -> None:
    ref = resources.files("newsan.models").joinpath(MODEL_FILE)
    assert ref.is_file()
    suffixes = (".crfsuite", ".tsv", ".npz", ".json")
    total = sum(p.stat().st_size for p in Path(str(ref)).parent.iterdir() if p.suffix in suffixes)
    assert total < 30_000_000


@pytest.mark.parametrize(
    "sentences",
    [
        [["قال", "الرئيس", "المصري", "حسني", "مبارك", "في", "القاهرة", "أمس", "."]],
        [[], ["بيروت"], ["\u200f", "ـ", "!!"]],
        [],
    ],
)
def test_tagger_one_label_per_token(sentences: list[list[str]]) -> None:
    out = default_tagger().tag_sentences(sentences)
    assert [len(s) for s in out] == [len(s) for s in sentences]
    assert all(label in LABELS for s in out for label in s)


def test_tagger_finds_obvious_entities() -> None:
    sent = ["قال", "الرئيس", "المصري", "حسني", "مبارك", "في", "القاهرة", "أمس", "."]
    tags = default_tagger().tag_sentences([sent])[0]
    assert tags[3:5] == ["B-PERS", "I-PERS"]
    assert tags[6] == "B-LOC"


def test_tagger_ignores_diacritics_and_tatweel() -> None:
    plain = ["وقال", "الرئيس", "الفرنسي", "جاك", "شيراك", "في", "باريس", "."]
    fancy = ["وَقَالَ", "الرَّئِيس", "الفرنـــسي", "جاك", "شِيرَاك", "في", "بـاريس", "."]
    tagger = default_tagger()
    assert tagger.tag_sentences([plain]) == tagger.tag_sentences([fancy])


def test_tagger_is_cached() -> None:
    assert default_tagger() is default_tagger()


@pytest.mark.parametrize("loader", ["default_tagger", "combined_tagger"])
def test_tagger_import_does_not_load_torch(loader: str) -> None:
    """Neither packaged tagger (the network runs in NumPy) pulls in torch or transformers."""
    code = (
        f"import sys, newsan.extract.tagger as t; t.{loader}().tag_sentences([['بيروت']]); "
        "bad = [m for m in ('torch', 'transformers') if m in sys.modules]; print(bad); sys.exit(bool(bad))"
    )
    src = Path(__file__).resolve().parents[1] / "src"
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": str(src)}, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# Pinned floors (regression gate) at the shipped models' scores, rounded down;
# see models/MODEL_CARD.md. Raise them when a model improves.
F1_FLOORS = {
    ("default", "ANERCorp_CamelLab_test.sentence-start-fix.txt"): 0.705,
    ("default", "ANERCorp_CamelLab_test.txt"): 0.69,
    ("crf+nn", "ANERCorp_CamelLab_test.sentence-start-fix.txt"): 0.75,
    ("crf+nn", "ANERCorp_CamelLab_test.txt"): 0.73,
}
TAGGERS = {"default": default_tagger, "crf+nn": combined_tagger}


@pytest.mark.parametrize("tagger, name", sorted(F1_FLOORS))
def test_tagger_anercorp_test_f1_floor(tagger: str, name: str) -> None:
    """Regression gate: micro F1 on the ANERcorp test files never drops below the pinned floor."""
    path = ANER / name
    if not path.is_file():
        pytest.skip(f"{path} not available (../shared is absent)")
    scores = evaluate_conll(path, TAGGERS[tagger]())
    assert scores["micro"]["f1"] >= F1_FLOORS[tagger, name], scores["micro"]


@pytest.mark.parametrize(
    "name",
    [
        "ANERCorp_CamelLab_test.sentence-start-fix.txt",
        pytest.param(
            "ANERCorp_CamelLab_test.txt",
            marks=pytest.mark.xfail(reason="crf+nn reaches 0.736 on the official file (issue 3 asks 0.75)", strict=True),
        ),
    ],
)
def test_tagger_anercorp_test_f1_issue_target(name: str) -> None:
    """The issue's requirement: micro F1 >= 0.75 on both ANERcorp test files (best tagger: crf+nn)."""
    path = ANER / name
    if not path.is_file():
        pytest.skip(f"{path} not available (../shared is absent)")
    assert evaluate_conll(path, combined_tagger())["micro"]["f1"] >= 0.75


def test_tagger_analyzer_tokenization_costs_no_accuracy() -> None:
    """Re-tokenizing with simple_word_tokenize (as the analyzer does) keeps F1 within 0.5 point."""
    path = ANER / "ANERCorp_CamelLab_test.sentence-start-fix.txt"
    if not path.is_file():
        pytest.skip(f"{path} not available (../shared is absent)")
    from camel_tools.tokenizers.word import simple_word_tokenize

    conll = evaluate_conll(path, default_tagger())["micro"]["f1"]
    retok = evaluate_conll(path, default_tagger(), tokenize=simple_word_tokenize)["micro"]["f1"]
    assert retok >= conll - 0.005


@pytest.mark.parametrize(
    "sentences",
    [
        [
            ["وقال", "الرئيس", "الفرنسي", "جاك", "شيراك", "في", "باريس", "إن", "فرنسا", "."],
            ["التقى", "وزير", "الخارجية", "السعودي", "بنظيره", "الأمريكي", "في", "واشنطن"],
            ["x"],
            ["فاز", "ريال", "مدريد", "على", "برشلونة", "في", "الدوري", "الإسباني", "لكرة", "القدم"],
        ]
    ],
)
def test_tagger_fast_path_equals_crfsuite(sentences: list[list[str]]) -> None:
    """The cached-emission Viterbi of the shipped CRF equals crfsuite's own decoding."""
    tagger = default_tagger()
    assert tagger.neural is None and tagger.propagate_window is None
    assert tagger.tag_sentences(sentences) == tagger.tag_sentences_crfsuite(sentences)


def test_tagger_word_cache_and_chunks_change_nothing() -> None:
    """A word cache small enough to be emptied and refilled several times
    within one document, and chunks smaller than a sentence group, give the
    labels and scores of crfsuite's own decoding."""
    import numpy as np

    from newsan.extract.tagger import clear_packaged

    clear_packaged()  # a tagger of its own: the shared one keeps its cache size
    small = default_tagger()
    fast = small._fast
    assert fast is not None
    fast.CACHE_WORDS, fast.CHUNK_TOKENS, fast.CHUNK_WORDS = 7, 12, 3
    words = "وقال الرئيس الفرنسي جاك شيراك في باريس إن فرنسا التقى وزير الخارجية السعودي بنظيره".split()
    sentences = [words[k % 5 : k % 5 + 3 + k % 9] for k in range(40)]
    try:
        for _ in range(2):  # the second time every word has been through the cache once
            assert small.tag_sentences(sentences) == small.tag_sentences_crfsuite(sentences)
        assert len(fast._slots) <= 7 and len(fast._slab) <= 7
        one = [fast.emissions(s) for s in sentences]
        together = fast.emissions_batch(sentences)
        assert all((a == b).all() for a, b in zip(one, together, strict=True))
        # a pair of words the model has a two-word feature for, once inside a
        # sentence and once across a sentence end (where it must not count)
        pair = next(k for k, rows in fast._pairs.items() if k.count("|") == 1 and all(rows))
        first, second = pair.split("|")
        [bare_first], [bare_second] = small.extractor.bares([first]), small.extractor.bares([second])
        assert (bare_first, bare_second) == (first, second)
        sentences = [["في", first, second], ["في", first], [second, "في"]]
        got = fast.emissions_batch(sentences)
        weights: dict[str, np.ndarray] = {}
        for (attr, label), weight in small._tagger.info().state_features.items():
            weights.setdefault(attr, np.zeros(len(fast.labels)))[fast.labels.index(label)] += weight
        for sent, em in zip(sentences, got, strict=True):
            feats = small.extractor.sentence(sent)
            want = [sum(weights.get(a, 0.0) for a in f) for f in feats]
            assert np.allclose(em, want)
    finally:
        clear_packaged()


@pytest.mark.parametrize("seed", range(20))
def test_viterbi_batch_equals_one_sentence_viterbi(seed: int) -> None:
    """Decoding a document's sentences together gives each sentence's own best path (ties too)."""
    import numpy as np

    from newsan.extract.tagger import viterbi, viterbi_batch

    rng = np.random.default_rng(seed)
    n_labels = len(LABELS)
    trans = rng.normal(size=(n_labels, n_labels))
    start, end = rng.normal(size=n_labels), rng.normal(size=n_labels)
    ems = [rng.normal(size=(int(n), n_labels)) for n in rng.integers(1, 25, size=int(rng.integers(1, 8)))]
    if seed % 2:  # integer scores: many exact ties
        ems, trans = [np.round(e) for e in ems], np.round(trans)
    assert viterbi_batch(ems, trans, start, end) == [viterbi(e, trans, start, end) for e in ems]
    assert viterbi_batch(ems, trans) == [viterbi(e, trans) for e in ems]


def test_tagger_domain_copy_and_evidence_fold_into_the_fast_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A model trained with a news-only feature copy (N:) and the lexicon
    evidence features decodes the same on the fast path (weights folded at
    load time) as crfsuite does from the feature strings."""
    import pycrfsuite

    from newsan.extract.entities import lexicon_evidence
    from newsan.extract.tagger import NEWS_PREFIX, CrfTagger, FeatureExtractor, load_lexicons

    lex = load_lexicons()
    ext = FeatureExtractor(lex, lexicon_evidence())
    data = [
        ("قال الاتحاد العام التونسي للشغل في تونس".split(), ["O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "B-LOC"]),
        ("وزار محمد الغنوشي مدينة صفاقس أمس".split(), ["O", "B-PERS", "I-PERS", "O", "B-LOC", "O"]),
        ("أعلنت وزارة الصحة عن حملة جديدة".split(), ["O", "B-ORG", "I-ORG", "O", "O", "O"]),
    ]
    trainer = pycrfsuite.Trainer(verbose=False)
    for k, (toks, tags) in enumerate(data * 3):
        x = ext.sentence(toks)
        if k % 2:
            x = [f + [NEWS_PREFIX + a for a in f] for f in x]
        trainer.append(x, tags)
    trainer.set_params({"c1": 0.0, "c2": 0.01, "max_iterations": 30, "feature.possible_transitions": True})
    path = tmp_path / "m.crfsuite"
    trainer.train(str(path))
    tagger = CrfTagger(path, lex, domain_prefix=NEWS_PREFIX, evidence=lexicon_evidence())
    sents = [toks for toks, _ in data] + ["ثم عاد الغنوشي إلى صفاقس بعد لقاء الاتحاد".split()]
    assert tagger._fast is not None
    assert tagger.tag_sentences(sents) == tagger.tag_sentences_crfsuite(sents)


def _two_domain_model(tmp_path: Path) -> Path:
    """A CRF whose news sentences (with an N: copy of every feature) call
    «الأهلي» an organization and whose general sentences leave it O."""
    import pycrfsuite

    from newsan.extract.tagger import NEWS_PREFIX, FeatureExtractor

    ext = FeatureExtractor(Lexicons.empty())
    general = [("قال الأهلي إن الطقس حار".split(), ["O", "O", "O", "O", "O"])]
    news = [("قال الأهلي إن الطقس حار".split(), ["O", "B-ORG", "O", "O", "O"])]
    trainer = pycrfsuite.Trainer(verbose=False)
    for toks, tags in general * 5:
        trainer.append(ext.sentence(toks), tags)
    for toks, tags in news * 4:
        trainer.append([f + [NEWS_PREFIX + a for a in f] for f in ext.sentence(toks)], tags)
    trainer.set_params({"c1": 0.0, "c2": 0.01, "max_iterations": 50, "feature.possible_transitions": True})
    path = tmp_path / "two.crfsuite"
    trainer.train(str(path))
    return path


def test_tagger_domain_selects_the_news_copy(tmp_path: Path) -> None:
    """The news domain folds the N: weights in; the general domain ignores them
    (the shared weights alone), on both decoding paths."""
    from newsan.extract.tagger import NEWS_PREFIX, CrfTagger

    path = _two_domain_model(tmp_path)
    sent = ["قال الأهلي إن الطقس حار".split()]
    news = CrfTagger(path, Lexicons.empty(), domain_prefix=NEWS_PREFIX)
    general = CrfTagger(path, Lexicons.empty(), domain_prefix=None)
    assert news.tag_sentences(sent)[0][1] == "B-ORG"
    assert general.tag_sentences(sent)[0][1] == "O"
    assert news.tag_sentences(sent) == news.tag_sentences_crfsuite(sent)
    assert general.tag_sentences(sent) == general.tag_sentences_crfsuite(sent)


@pytest.mark.parametrize(
    "meta, news, general",
    [
        ({"domain_prefixes": {"news": "N:", "general": None}}, "N:", None),
        ({"domain_prefix": None}, None, None),  # no domain copy: every domain alike
        ({"domain_prefix": "A:"}, "A:", "A:"),  # older models: one copy for all text
        ({"domain_prefixes": None, "domain_prefix": None}, None, None),
    ],
)
def test_tagger_domain_prefix_of_meta(meta: dict[str, object], news: str | None, general: str | None) -> None:
    from newsan.extract.tagger import domain_prefix_of

    assert domain_prefix_of(meta, "news") == news
    assert domain_prefix_of(meta, "general") == general


def test_tagger_unknown_domain_is_refused() -> None:
    from newsan.errors import NewsanError
    from newsan.extract.tagger import domain_prefix_of
    from newsan.pipeline import make_tagger

    with pytest.raises(ValueError, match="sports"):
        default_tagger("sports")
    with pytest.raises(ValueError, match="sports"):
        domain_prefix_of({"domain_prefixes": {"news": "N:", "general": None}}, "sports")
    with pytest.raises(NewsanError, match="sports"):
        make_tagger("default", "sports")


def test_tagger_packaged_domains_follow_the_meta() -> None:
    """The analyzer's default is the news domain, one shared tagger per domain;
    each domain's tagger folds in the copy ner_meta.json names for it."""
    import json

    from newsan.extract.tagger import META_FILE, domain_prefix_of
    from newsan.pipeline import make_tagger

    meta = json.loads(resources.files("newsan.models").joinpath(META_FILE).read_text(encoding="utf-8"))
    assert default_tagger() is default_tagger("news") is make_tagger("default")
    assert default_tagger("general") is make_tagger("crf", "general")
    for domain in ("news", "general"):
        assert default_tagger(domain).domain_prefix == domain_prefix_of(meta, domain)
