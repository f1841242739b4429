"""The camel-tools BERT backend, run for real on a tiny BERT built here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsan.errors import ModelNotInstalled
from newsan.extract.camel_ner import INSTALL_COMMAND, CamelBertTagger

LABELS = ["B-LOC", "B-ORG", "B-PERS", "B-MISC", "I-LOC", "I-ORG", "I-PERS", "I-MISC", "O"]
WORDS = ["قال", "الرئيس", "محمد", "في", "القاهرة", "أمس", "إن", "وزارة", "الخارجية", "."]


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A BERT token classifier with camel-tools' 9 labels, random weights, a tiny vocab."""
    transformers = pytest.importorskip("transformers", reason="transformers is not installed")
    torch = pytest.importorskip("torch", reason="torch is not installed")
    path = tmp_path_factory.mktemp("tiny_bert")
    letters = sorted({ch for w in WORDS for ch in w})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS[:5], *letters, *("##" + ch for ch in letters)]
    (path / "vocab.txt").write_text("\n".join(dict.fromkeys(vocab)) + "\n", encoding="utf-8")
    tokenizer = transformers.BertTokenizer(str(path / "vocab.txt"), do_lower_case=False)
    config = transformers.BertConfig(
        vocab_size=len(tokenizer.vocab),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=300,
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)},
    )
    torch.manual_seed(0)
    model = transformers.BertForTokenClassification(config)
    with torch.no_grad():
        model.classifier.bias.copy_(torch.linspace(-1.0, 1.0, len(LABELS)))
    model.save_pretrained(str(path))
    tokenizer.save_pretrained(str(path))
    return path


@pytest.mark.parametrize("sentences", [[WORDS], [WORDS[:3], [], WORDS[3:]]])
def test_camel_ner_one_label_per_word(tiny_bert: Path, sentences: list[list[str]]) -> None:
    tagger = CamelBertTagger(str(tiny_bert))
    out = tagger.tag_sentences(sentences)
    assert [len(s) for s in out] == [len(s) for s in sentences]
    assert all(label in LABELS for s in out for label in s)


@pytest.mark.parametrize("invisible", ["\u200f", "\u200e", "\u200b"])
def test_camel_ner_empty_words_do_not_shift_labels(tiny_bert: Path, invisible: str) -> None:
    tagger = CamelBertTagger(str(tiny_bert))
    plain = tagger.tag_sentences([WORDS])[0]
    with_mark = tagger.tag_sentences([[*WORDS[:2], invisible, *WORDS[2:]]])[0]
    assert with_mark == [*plain[:2], "O", *plain[2:]]


def test_camel_ner_long_sentence_is_segmented(tiny_bert: Path) -> None:
    tagger = CamelBertTagger(str(tiny_bert))
    long = WORDS * 60  # well over 254 word pieces
    out = tagger.tag_sentences([long])[0]
    assert len(out) == len(long)


def test_camel_ner_default_model_missing_names_install_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAMELTOOLS_DATA", str(tmp_path))
    with pytest.raises(ModelNotInstalled, match=INSTALL_COMMAND):
        CamelBertTagger(None)


@pytest.mark.parametrize("sub", ["missing", "empty"])
def test_camel_ner_bad_path_is_model_not_installed(tmp_path: Path, sub: str) -> None:
    path = tmp_path / sub
    if sub == "empty":
        path.mkdir()
    with pytest.raises(ModelNotInstalled, match="config.json"):
        CamelBertTagger(str(path))


def test_camel_ner_import_is_light() -> None:
    """Importing the backend module must not pull in torch, transformers or camel_tools.data."""
    code = (
        "import sys, newsan.extract.camel_ner; "
        "bad = [m for m in ('torch', 'transformers', 'camel_tools.data') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    src = Path(__file__).resolve().parents[1] / "src"
    env_path = str(src)
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": env_path}, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
