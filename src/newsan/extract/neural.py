"""A small neural NER tagger run in NumPy: char CNN + BiLSTM + CRF.

The CRF (:mod:`newsan.extract.tagger`) sees words through hand-made
features; it misses names it never saw in training. This network reads every
word's letters (a character CNN), a word vector learned from CC BY-SA text,
and the same lexicon signals the CRF uses (proclitics, gazetteer, trigger
words, word clusters), then a bidirectional LSTM reads the sentence. Its
label scores are added to the CRF's (a product of experts) and one Viterbi
pass decodes the sum.

It is trained with PyTorch by ``scripts/train_neural_ner.py``; the weights
ship as ``models/ner_nn.npz`` and run here with NumPy alone, so the default
path never imports torch. Per-word parts (the input vector of a distinct
word) are cached; a document costs one batched BiLSTM pass over its
sentences.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsan.extract.tagger import FeatureExtractor, make_room, viterbi

__all__ = ["NN_FILE", "NN_VOCAB_FILE", "NeuralNer", "WordEncoder"]

NN_FILE = "ner_nn.npz"
NN_VOCAB_FILE = "ner_nn_vocab.json"

MAX_CHARS = 16
UNK = 1  # index 0 pads every id vocabulary


class WordEncoder:
    """Maps a raw token to the integer/multi-hot inputs of the network.

    Vocabularies (words, characters, proclitic strings, shapes, lexicon
    classes) are fixed at training time and saved as JSON next to the weights.
    Index 0 is padding and 1 unknown in every id vocabulary.
    """

    def __init__(self, vocab: dict[str, Any], extractor: FeatureExtractor) -> None:
        self.vocab = vocab
        self.ext = extractor
        self.words = {w: i for i, w in enumerate(vocab["words"])}
        self.chars = {c: i for i, c in enumerate(vocab["chars"])}
        self.pres = {p: i for i, p in enumerate(vocab["pres"])}
        self.shapes = {s: i for i, s in enumerate(vocab["shapes"])}
        self.lex_classes = {c: i for i, c in enumerate(vocab["lex_classes"])}
        self.cluster_sizes: list[int] = list(vocab["cluster_sizes"])
        # Only words missing from the network's own cache get here: a small cache is enough.
        self.encode = functools.lru_cache(maxsize=1 << 12)(self._encode)

    @classmethod
    def build_vocab(
        cls,
        words: Sequence[str],
        chars: Sequence[str],
        pres: Sequence[str],
        shapes: Sequence[str],
        lex_classes: Sequence[str],
        cluster_sizes: Sequence[int],
    ) -> dict[str, Any]:
        return {
            "words": ["<pad>", "<unk>", *words],
            "chars": ["<pad>", "<unk>", "<w>", "</w>", *chars],
            "pres": ["<pad>", "<unk>", *pres],
            "shapes": ["<pad>", "<unk>", *shapes],
            "lex_classes": list(lex_classes),
            "cluster_sizes": list(cluster_sizes),
        }

    @property
    def n_lex(self) -> int:
        return len(self.lex_classes)

    def _encode(self, word: str) -> tuple[int, tuple[int, ...], int, int, tuple[int, ...], tuple[int, ...]]:
        """(word id, char ids, proclitic id, shape id, lexicon class ids, cluster ids + 1)."""
        norm, pre, _stem, bare, shape, gaz, trig, clus = self.ext._info(word)
        wid = self.words.get(bare, UNK)
        cs = [2] + [self.chars.get(c, UNK) for c in norm[: MAX_CHARS - 2]] + [3]
        keys = [*("g=" + g for g in gaz), *("t=" + t for t in trig)]
        lex = tuple(sorted({self.lex_classes[k] for k in keys if k in self.lex_classes}))
        cl = tuple(int(c) + 1 if c.isdigit() else 0 for c in clus[: len(self.cluster_sizes)])
        cl = cl + (0,) * (len(self.cluster_sizes) - len(cl))
        return (
            wid,
            tuple(cs),
            self.pres.get(pre, UNK),
            self.shapes.get(shape, UNK),
            lex,
            cl,
        )


class NeuralNer:
    """NumPy inference for the weights ``scripts/train_neural_ner.py`` writes.

    ``emissions(sentences)`` gives each sentence's (n, L) label scores in the
    label order of ``labels``; ``transitions`` holds the CRF's (L, L) scores
    and ``start``/``end`` its boundary scores.

    Both LSTM directions run in one loop as a stack of two: the backward one
    reads each sentence reversed, so right padding never needs masking. The
    i/f/o gate weights are halved at load time so that one ``tanh`` over all
    gates gives the sigmoids too (sigmoid(x) = (tanh(x/2) + 1) / 2).
    """

    CACHE_BYTES = 32 << 20  # per-word gate inputs kept (8H float32 each: 8,192 words at H = 128)

    def __init__(self, weights: dict[str, np.ndarray], vocab: dict[str, Any], extractor: FeatureExtractor) -> None:
        self.enc = WordEncoder(vocab, extractor)
        self.labels: list[str] = list(vocab["labels"])
        w = {k: np.asarray(v, dtype=np.float32) for k, v in weights.items()}
        self.w = w
        self.transitions = w["crf.trans"]
        self.start = w["crf.start"]
        self.end = w["crf.end"]
        h = self.hidden = w["lstm.f.wh"].shape[1]

        def gates(m: np.ndarray) -> np.ndarray:
            # PyTorch's gate order i, f, g, o -> i, f, o, g; i/f/o halved (see above).
            i, f, g, o = (m[k * h : (k + 1) * h] for k in range(4))
            return np.concatenate([0.5 * i, 0.5 * f, 0.5 * o, g])

        # Input weights of both directions side by side: one product per new word.
        self._wx = np.concatenate([gates(w["lstm.f.wx"]), gates(w["lstm.b.wx"])]).T.copy()  # (d_in, 8H)
        self._bx = np.concatenate([gates(w["lstm.f.b"]), gates(w["lstm.b.b"])])
        self._wh = np.stack([gates(w["lstm.f.wh"]).T, gates(w["lstm.b.wh"]).T])  # (2, H, 4H)
        self._out_f = w["out.w"][:, :h].T.copy()
        self._out_b = w["out.w"][:, h:].T.copy()
        self._cache: dict[str, np.ndarray] = {}
        n_convs = sum(1 for k in w if k.startswith("char.conv") and k.endswith(".w"))
        self._convs = [(w[f"char.conv{j}.w"], w[f"char.conv{j}.b"]) for j in range(n_convs)]

    @classmethod
    def load(cls, npz: Path | str, vocab_json: Path | str, extractor: FeatureExtractor) -> NeuralNer:
        with np.load(npz) as data:
            weights = {k: data[k] for k in data.files}
        vocab = json.loads(Path(vocab_json).read_text(encoding="utf-8"))
        return cls(weights, vocab, extractor)

    def _word_vecs(self, words: Sequence[str]) -> np.ndarray:
        """LSTM input vectors (word vector, char CNN, lexicon signals) of new words, (W, d_in)."""
        w = self.w
        codes = [self.enc.encode(word) for word in words]
        n = len(codes)
        m = max(len(c[1]) for c in codes)
        chars = np.zeros((n, m), np.intp)
        for r, c in enumerate(codes):
            chars[r, : len(c[1])] = c[1]
        # char CNN: embed, convolve (each width k, zero padding k//2 on both sides,
        # first M positions), ReLU, max over the letters.
        ce = w["emb.char"][chars]  # (W, M, dc); the padding row is zero
        letters = (chars != 0)[:, :, None]
        parts = [w["emb.word"][[c[0] for c in codes]]]
        for kw, kb in self._convs:  # kw: (filters, dc, k)
            k = kw.shape[2]
            x = np.pad(ce, ((0, 0), (k // 2, k // 2), (0, 0)))
            conv = sum(x[:, j : j + m] @ kw[:, :, j].T for j in range(k)) + kb
            parts.append((np.maximum(conv, 0) * letters).max(axis=1))
        parts.append(w["emb.pre"][[c[2] for c in codes]])
        parts.append(w["emb.shape"][[c[3] for c in codes]])
        lexv = np.zeros((n, self.enc.n_lex), np.float32)
        for r, c in enumerate(codes):
            lexv[r, list(c[4])] = 1.0
        parts.append(lexv)
        for j in range(len(self.enc.cluster_sizes)):
            parts.append(w[f"emb.clus{j}"][[c[5][j] for c in codes]])
        return np.concatenate(parts, axis=1)

    def _projected(self, words: list[str]) -> np.ndarray:
        """(N, 8H) gate inputs of a token list: each distinct word's input vector
        times the input weights of both directions, computed once and cached."""
        cache = self._cache
        rows = [cache.get(t) for t in words]
        missing = list(dict.fromkeys(t for t, r in zip(words, rows, strict=True) if r is None))
        if missing:
            fresh = dict(zip(missing, self._word_vecs(missing) @ self._wx + self._bx, strict=True))
            rows = [fresh[t] if r is None else r for t, r in zip(words, rows, strict=True)]
            make_room(cache, len(fresh), self.CACHE_BYTES // (32 * self.hidden))
            # Copies: a cached view would keep its whole batch matrix alive.
            cache.update((word, row.copy()) for word, row in fresh.items())
        return np.stack(rows)

    def emissions(self, sentences: Sequence[Sequence[str]], batch: int = 8) -> list[np.ndarray]:
        """Label scores (n_i, L) for each sentence; an empty sentence gives (0, L).

        The words of all sentences are projected together; the LSTM then runs
        over batches of sentences of similar length: little padding, and at
        this size a step costs little more than the per-call overhead.
        """
        out: list[np.ndarray] = [np.zeros((0, len(self.labels)), np.float32) for _ in sentences]
        idx = sorted((k for k, s in enumerate(sentences) if s), key=lambda k: len(sentences[k]))
        if not idx:
            return out
        starts = {}
        words: list[str] = []
        for k in idx:
            starts[k] = len(words)
            words.extend(sentences[k])
        flat = self._projected(words)  # (N, 8H)
        g4 = flat.shape[1] // 2
        pad = np.zeros((1, g4), np.float32)  # row N: padding
        fwd = np.concatenate([flat[:, :g4], pad])
        bwd = np.concatenate([flat[:, g4:], pad])
        for lo in range(0, len(idx), batch):
            chunk = idx[lo : lo + batch]
            lengths = [len(sentences[k]) for k in chunk]
            for k, scores in zip(chunk, self._batch(fwd, bwd, [starts[k] for k in chunk], lengths), strict=True):
                out[k] = scores
        return out

    def _batch(self, fwd: np.ndarray, bwd: np.ndarray, starts: list[int], lengths: list[int]) -> list[np.ndarray]:
        """BiLSTM + output layer over sentences ``fwd[start:start + length]``."""
        h = self.hidden
        t = max(lengths)
        b = len(lengths)
        pad = len(fwd) - 1
        steps = np.arange(t)
        pos_f = np.full((t, b), pad, np.intp)
        pos_b = np.full((t, b), pad, np.intp)
        for r, (start, n) in enumerate(zip(starts, lengths, strict=True)):
            pos_f[:n, r] = start + steps[:n]
            pos_b[:n, r] = start + n - 1 - steps[:n]
        # (T, 2, B, 4H): direction 0 reads each sentence forward, direction 1 reversed.
        xs = np.stack([fwd[pos_f], bwd[pos_b]], axis=1)
        wh = self._wh
        state = np.zeros((2, b, h), np.float32)
        cell = np.zeros((2, b, h), np.float32)
        hs = np.empty((t, 2, b, h), np.float32)
        for s in range(t):
            g = xs[s] + np.matmul(state, wh)
            np.tanh(g, out=g)
            sig = g[..., : 3 * h]
            sig *= 0.5
            sig += 0.5
            cell *= g[..., h : 2 * h]
            cell += g[..., :h] * g[..., 3 * h :]
            state = g[..., 2 * h : 3 * h] * np.tanh(cell)
            hs[s] = state
        sf = hs[:, 0] @ self._out_f + self.w["out.b"]  # (T, B, L), forward time
        sb = hs[:, 1] @ self._out_b  # (T, B, L), reversed time
        return [sf[:n, r] + sb[n - 1 :: -1, r] for r, n in enumerate(lengths)]

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        labels = self.labels
        out: list[list[str]] = []
        for em in self.emissions(sentences):
            out.append([labels[k] for k in viterbi(em, self.transitions, self.start, self.end)] if len(em) else [])
        return out
