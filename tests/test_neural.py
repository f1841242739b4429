"""The neural half of the NER model: NumPy inference, the ensemble, label propagation."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from newsan.extract.neural import NeuralNer, WordEncoder
from newsan.extract.tagger import LABELS, FeatureExtractor, Lexicons, combined_tagger, default_tagger, propagate_labels

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def _tiny_vocab() -> dict:
    vocab = WordEncoder.build_vocab(
        words=["قاهره", "رئيس", "قال"],
        chars=sorted(set("القاهرةرئيسقالمبارك")),
        pres=["", "و", "ال"],
        shapes=["arabic", "punct"],
        lex_classes=["g=LOC", "t=ner_title"],
        cluster_sizes=[4, 8],
    )
    vocab["labels"] = list(LABELS)
    return vocab


def _tiny_extractor() -> FeatureExtractor:
    lex = Lexicons({"رئيس": ["ner_title"]}, {"قاهره": ["LOC"]}, {}, {"قاهره": ("1", "5"), "رئيس": ("2", "7")})
    return FeatureExtractor(lex)


def test_neural_numpy_inference_equals_torch() -> None:
    """The NumPy forward pass reproduces the PyTorch network it was exported from."""
    torch = pytest.importorskip("torch", reason="torch is not installed")
    sys.path.insert(0, str(SCRIPTS))
    from train_neural_ner import Net, collate

    torch.manual_seed(0)
    enc = WordEncoder(_tiny_vocab(), _tiny_extractor())
    init = np.random.default_rng(0).normal(0, 0.5, (len(enc.vocab["words"]), 6)).astype(np.float32)
    net = Net(enc, init, char_dim=5, filters=7, widths=(2, 3), hidden=4, dropout=0.0)
    with torch.no_grad():
        for p in net.parameters():
            p.add_(torch.randn_like(p) * 0.3)  # non-zero CRF and bias weights too
        net.char.weight[0] = 0  # the padding row, which training never moves
    net.eval()
    sentences = [
        ["وقال", "الرئيس", "مبارك", "في", "القاهرة", "."],
        ["القاهرة"],
        ["كلمة", "جديدة", "تماما"],
    ]
    batch = collate([(s, ["O"] * len(s)) for s in sentences], enc, None, set(), 0.0)
    with torch.no_grad():
        expected = net.emissions(batch).numpy()
    ner = NeuralNer(net.export(), enc.vocab, enc.ext)
    got = ner.emissions(sentences, batch=2)  # two batches: padding on both sides of the split
    for k, sent in enumerate(sentences):
        np.testing.assert_allclose(got[k], expected[k, : len(sent)], rtol=1e-4, atol=1e-5)
    # A word cache too small for one batch is emptied and refilled, with the same result.
    ner.CACHE_BYTES = 32 * ner.hidden * 4
    again = ner.emissions(sentences, batch=64)
    assert len(ner._cache) <= len({t for s in sentences for t in s})  # at most the last batch's words
    for k in range(len(sentences)):
        np.testing.assert_allclose(again[k], got[k], rtol=1e-5, atol=1e-6)


def test_neural_empty_sentences() -> None:
    ner = combined_tagger().neural
    assert ner is not None
    out = ner.emissions([[], ["بيروت"], []])
    assert [e.shape[0] for e in out] == [0, 1, 0]


def test_neural_combined_tagger_and_default_tagger() -> None:
    tagger = combined_tagger()
    assert tagger.neural is not None and tagger.neural_weight > 0
    assert tagger.propagate_window is not None
    assert default_tagger().neural is None and default_tagger().propagate_window is None
    sent = ["قال", "الرئيس", "المصري", "حسني", "مبارك", "في", "القاهرة", "أمس", "."]
    tags = tagger.tag_sentences([sent, [], sent])
    assert [len(t) for t in tags] == [9, 0, 9]
    assert tags[0][3:5] == ["B-PERS", "I-PERS"] and tags[0][6] == "B-LOC"


@pytest.mark.parametrize(
    "bares, tags, expected",
    [
        # A name tagged in one sentence is found again where it was missed.
        (
            [["فاز", "سلتيك"], ["سلتيك", "يتصدر"]],
            [["O", "B-ORG"], ["O", "O"]],
            [["O", "B-ORG"], ["B-ORG", "O"]],
        ),
        # Two-word names match as a whole, and the majority label wins.
        (
            [["دينامو", "كييف"], ["امام", "دينامو", "كييف"], ["دينامو", "كييف"], ["دينامو", "كييف"]],
            [["B-ORG", "I-ORG"], ["O", "O", "O"], ["B-ORG", "I-ORG"], ["B-LOC", "I-LOC"]],
            [["B-ORG", "I-ORG"], ["O", "B-ORG", "I-ORG"], ["B-ORG", "I-ORG"], ["B-LOC", "I-LOC"]],
        ),
        # Not next to another entity (it would merge into or split it), not short stems.
        (
            [["بوش", "زار"], ["جورج", "بوش"], ["في", "بوش", "بن"], ["بن"]],
            [["B-PERS", "O"], ["B-PERS", "O"], ["O", "O", "O"], ["B-PERS"]],
            [["B-PERS", "O"], ["B-PERS", "O"], ["O", "B-PERS", "O"], ["B-PERS"]],
        ),
    ],
)
def test_propagate_labels(bares: list[list[str]], tags: list[list[str]], expected: list[list[str]]) -> None:
    assert propagate_labels(bares, tags, window=5) == expected


def test_propagate_labels_respects_the_window() -> None:
    bares = [["سلتيك"]] + [["نص"]] * 5 + [["سلتيك"]]
    tags = [["B-ORG"]] + [["O"]] * 6
    assert propagate_labels(bares, tags, window=5)[-1] == ["O"]
    assert propagate_labels(bares, tags, window=6)[-1] == ["B-ORG"]
