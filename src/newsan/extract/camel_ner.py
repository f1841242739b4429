"""The camel-tools BERT NER backend (``--ner camel`` / ``--ner camel:PATH``).

This runs a BERT token classifier the way camel-tools' ``NERecognizer.predict``
does (first word piece of each word carries the word's label, sentences
longer than 254 word pieces are cut into segments), with two differences:

- **No import of ``camel_tools.ner``.** That module imports
  ``camel_tools.data``, whose import loads camel-tools' data catalogue and, when
  ``catalogue.json`` is missing, downloads it. Offline this raises
  ``DownloaderError`` at import time, before any local model could be used (and
  it creates ``~/.camel_tools`` as a side effect). Here the default model is
  located by reading the catalogue file directly, if it exists.
- **Words the tokenizer reduces to nothing keep their place.** camel-tools drops
  such words (e.g. a lone U+200F) from the model input, so its label list comes
  back shorter and every later label lands on the wrong word. Here those words
  get ``O`` and the others keep their own labels.

torch and transformers are imported only when a ``CamelBertTagger`` is made.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from newsan.errors import ModelNotInstalled

__all__ = ["INSTALL_COMMAND", "CamelBertTagger", "default_model_path"]

INSTALL_COMMAND = "camel_data -i ner-arabert"
_MAX_PIECES = 254  # camel-tools' max_seq_length 256 minus [CLS] and [SEP]


def _camel_data_dir() -> Path:
    """camel-tools' data directory: ``$CAMELTOOLS_DATA`` or ``~/.camel_tools``."""
    env = os.environ.get("CAMELTOOLS_DATA")
    if env:
        return Path(env).expanduser().absolute()
    if os.name == "nt":
        return Path.home() / "AppData" / "Roaming" / "camel_tools"
    return Path.home() / ".camel_tools"


def default_model_path() -> Path:
    """Where ``camel_data -i ner-arabert`` puts the default NER model.

    Reads the NamedEntityRecognition entry of camel-tools' catalogue when the
    catalogue file is present; otherwise assumes the documented layout
    (``<data dir>/data/ner/arabert``).
    """
    base = _camel_data_dir()
    catalogue = base / "catalogue.json"
    if catalogue.is_file():
        try:
            data = json.loads(catalogue.read_text(encoding="utf-8"))
            comp = data["components"]["NamedEntityRecognition"]
            return base / "data" / comp["datasets"][comp["default"]]["path"]
        except (KeyError, TypeError, ValueError):
            pass
    return base / "data" / "ner" / "arabert"


class CamelBertTagger:
    """A fine-tuned BERT token classifier (camel-tools' ``ner-arabert`` or any local folder).

    Args:
        model_path: a folder with ``config.json``, the weights and ``vocab.txt``
            (what ``save_pretrained`` writes); ``None`` means camel-tools'
            installed default model.
        batch_size: sentences (segments) per forward pass.

    Raises:
        ModelNotInstalled: the folder is missing or incomplete, or torch /
            transformers are not installed; the message says what to run.
    """

    def __init__(self, model_path: str | Path | None = None, batch_size: int = 32) -> None:
        path = Path(model_path) if model_path is not None else default_model_path()
        if not (path / "config.json").is_file():
            if model_path is None:
                raise ModelNotInstalled(
                    f"the camel-tools NER model is not installed (looked in {path}); install it with: {INSTALL_COMMAND}"
                )
            raise ModelNotInstalled(f"no BERT token-classification model in {path} (config.json missing)")
        try:
            import torch
            from transformers import BertForTokenClassification, BertTokenizer
        except ImportError as exc:
            raise ModelNotInstalled(
                f"the camel-tools NER backend needs torch and transformers ({exc.name} is missing): "
                "pip install torch transformers"
            ) from None
        try:
            self._tokenizer = BertTokenizer.from_pretrained(str(path))
            self._model = BertForTokenClassification.from_pretrained(str(path))
        except (OSError, ValueError) as exc:
            raise ModelNotInstalled(f"cannot load the BERT NER model in {path}: {exc}") from None
        self._model.eval()
        self._torch: Any = torch
        self._id2label = {int(k): v for k, v in (self._model.config.id2label or {}).items()}
        self.batch_size = batch_size

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        """One BIO2 label per word of each sentence (the ``Tagger`` protocol)."""
        torch = self._torch
        tok = self._tokenizer
        # (sentence index, word indices with pieces, piece ids, first-piece positions)
        jobs: list[tuple[int, list[int], list[int], list[int]]] = []
        for s, words in enumerate(sentences):
            word_idx: list[int] = []
            ids: list[int] = []
            pos: list[int] = []
            for i, word in enumerate(words):
                pieces = tok.tokenize(word)
                if not pieces:
                    continue  # e.g. U+200F: keeps label O, shifts nothing
                piece_ids = tok.convert_tokens_to_ids(pieces)[:_MAX_PIECES]
                if ids and len(ids) + len(piece_ids) > _MAX_PIECES:
                    jobs.append((s, word_idx, ids, pos))
                    word_idx, ids, pos = [], [], []
                word_idx.append(i)
                pos.append(len(ids) + 1)  # +1 for [CLS]
                ids.extend(piece_ids)
            if ids:
                jobs.append((s, word_idx, ids, pos))
        out = [["O"] * len(words) for words in sentences]
        order = sorted(range(len(jobs)), key=lambda k: len(jobs[k][2]))
        cls_id, sep_id, pad_id = tok.cls_token_id, tok.sep_token_id, tok.pad_token_id or 0
        with torch.inference_mode():
            for b in range(0, len(order), self.batch_size):
                batch = [jobs[k] for k in order[b : b + self.batch_size]]
                width = max(len(j[2]) for j in batch) + 2
                input_ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
                mask = torch.zeros((len(batch), width), dtype=torch.long)
                for r, (_, _, ids, _) in enumerate(batch):
                    row = [cls_id, *ids, sep_id]
                    input_ids[r, : len(row)] = torch.tensor(row, dtype=torch.long)
                    mask[r, : len(row)] = 1
                logits = self._model(
                    input_ids=input_ids, attention_mask=mask, token_type_ids=torch.zeros_like(input_ids)
                ).logits
                best = logits.argmax(dim=-1).tolist()
                for r, (s, word_idx, _, pos) in enumerate(batch):
                    for i, p in zip(word_idx, pos, strict=True):
                        out[s][i] = self._id2label[best[r][p]]
        return out
