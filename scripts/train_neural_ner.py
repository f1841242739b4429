"""Train the neural half of newsan's NER model (``models/ner_nn.npz``).

A char-CNN + BiLSTM + CRF network (PyTorch here; NumPy at tagging time, see
``newsan.extract.neural``). Its inputs reuse the CRF's lexicons, so run
``scripts/train_ner.py`` with the same ``--out`` (and ``--final`` or not) first:
the gazetteer and clusters it builds there must not have seen the held-out part.

Word vectors are initialised from a PPMI-SVD over the CC BY-SA text (ANERcorp
train part, AQMAR, WikiFANE). Besides word dropout, 30% of the training
mentions (``--ent-unk``) are shown with unknown word vectors, as names never
seen: the network learns to find them from letters, lexicons and context.
Neither ANERcorp test file is read for training or model selection: the number
of epochs is chosen on the held-out tenth of train (dev run) and then fixed for
the final run. Deterministic on CPU for a seed.

Usage::

    python scripts/train_ner.py --out build/ner             # lexicons for the dev run
    python scripts/train_neural_ner.py --out build/ner      # dev run: scores per epoch
    python scripts/train_ner.py --final --out src/newsan/models
    python scripts/train_neural_ner.py --final --out src/newsan/models --report-test
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from torch import nn

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "scripts"))

from train_ner import (
    ANER_TESTS,
    ANER_TRAIN,
    Sentence,
    fix_bio,
    load_aqmar,
    load_wikifane,
    make_keyer,
    retokenize_gold,
    word_vectors,
)

from newsan.eval_ner import format_ner_report, read_conll, score, spans_from_bio
from newsan.extract.neural import MAX_CHARS, NN_FILE, NN_VOCAB_FILE, UNK, NeuralNer, WordEncoder
from newsan.extract.tagger import (
    CLUSTERS_FILE,
    GAZETTEER_FILE,
    LABELS,
    META_FILE,
    MODEL_FILE,
    CrfTagger,
    FeatureExtractor,
    load_lexicons,
)

CLUSTER_DIM = 16


class Net(nn.Module):
    def __init__(
        self,
        enc: WordEncoder,
        word_init: np.ndarray,
        char_dim: int,
        filters: int,
        widths: tuple[int, ...],
        hidden: int,
        dropout: float,
    ) -> None:
        super().__init__()
        v = enc.vocab
        self.word = nn.Embedding(len(v["words"]), word_init.shape[1], padding_idx=0)
        self.word.weight.data.copy_(torch.from_numpy(word_init))
        self.char = nn.Embedding(len(v["chars"]), char_dim, padding_idx=0)
        self.convs = nn.ModuleList(nn.Conv1d(char_dim, filters, k, padding=k // 2) for k in widths)
        self.pre = nn.Embedding(len(v["pres"]), 8, padding_idx=0)
        self.shape = nn.Embedding(len(v["shapes"]), 4, padding_idx=0)
        self.clus = nn.ModuleList(nn.Embedding(n + 1, CLUSTER_DIM, padding_idx=0) for n in enc.cluster_sizes)
        d_in = word_init.shape[1] + filters * len(widths) + 8 + 4 + enc.n_lex + CLUSTER_DIM * len(enc.cluster_sizes)
        self.drop = nn.Dropout(dropout)
        self.lstm = nn.LSTM(d_in, hidden, batch_first=True, bidirectional=True)
        n = len(LABELS)
        # Head 0 tags news (ANERcorp); head 1 the auxiliary Wikipedia corpora, whose
        # annotators drew ORG/MISC differently: the encoder is shared, the conventions are not.
        self.out = nn.ModuleList(nn.Linear(2 * hidden, n) for _ in range(2))
        self.trans = nn.Parameter(torch.zeros(2, n, n))
        self.start = nn.Parameter(torch.zeros(2, n))
        self.end = nn.Parameter(torch.zeros(2, n))

    def emissions(self, batch: dict[str, torch.Tensor], head: int = 0) -> torch.Tensor:
        b, t = batch["word"].shape
        chars = batch["chars"].view(b * t, -1)
        ce = self.char(chars).transpose(1, 2)  # (B*T, dc, M)
        m = chars.shape[1]
        letters = (chars != 0).unsqueeze(1)
        # Even widths give one extra position; keep the first M (as the NumPy side does).
        cv = torch.cat([(torch.relu(conv(ce)[:, :, :m]) * letters).max(dim=2).values for conv in self.convs], dim=1)
        cv = cv.view(b, t, -1)
        parts = [self.word(batch["word"]), cv, self.pre(batch["pre"]), self.shape(batch["shape"]), batch["lex"]]
        parts += [emb(batch["clus"][:, :, j]) for j, emb in enumerate(self.clus)]
        x = self.drop(torch.cat(parts, dim=2))
        lengths = batch["mask"].sum(1)
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        h, _ = self.lstm(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=t)
        return self.out[head](self.drop(h))

    def nll(self, em: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor, head: int = 0) -> torch.Tensor:
        """Negative log-likelihood of the gold paths under the linear-chain CRF."""
        t = em.shape[1]
        trans, start, end = self.trans[head], self.start[head], self.end[head]
        maskf = mask.float()
        gold = start[tags[:, 0]] + em[:, 0].gather(1, tags[:, :1]).squeeze(1)
        for i in range(1, t):
            step = trans[tags[:, i - 1], tags[:, i]] + em[:, i].gather(1, tags[:, i : i + 1]).squeeze(1)
            gold = gold + step * maskf[:, i]
        last = tags.gather(1, (mask.sum(1) - 1).unsqueeze(1)).squeeze(1)
        gold = gold + end[last]
        alpha = start + em[:, 0]
        for i in range(1, t):
            nxt = torch.logsumexp(alpha.unsqueeze(2) + trans.unsqueeze(0), dim=1) + em[:, i]
            alpha = torch.where(mask[:, i : i + 1], nxt, alpha)
        log_z = torch.logsumexp(alpha + end, dim=1)
        return (log_z - gold).sum()

    def export(self) -> dict[str, np.ndarray]:
        """Weights in the layout ``NeuralNer`` reads (float32; LSTM biases summed)."""

        def a(t: torch.Tensor) -> np.ndarray:
            return t.detach().cpu().numpy().astype(np.float32)

        lstm = self.lstm
        w = {
            "emb.word": a(self.word.weight),
            "emb.char": a(self.char.weight),
            "emb.pre": a(self.pre.weight),
            "emb.shape": a(self.shape.weight),
            "lstm.f.wx": a(lstm.weight_ih_l0),
            "lstm.f.wh": a(lstm.weight_hh_l0),
            "lstm.f.b": a(lstm.bias_ih_l0 + lstm.bias_hh_l0),
            "lstm.b.wx": a(lstm.weight_ih_l0_reverse),
            "lstm.b.wh": a(lstm.weight_hh_l0_reverse),
            "lstm.b.b": a(lstm.bias_ih_l0_reverse + lstm.bias_hh_l0_reverse),
            "out.w": a(self.out[0].weight),
            "out.b": a(self.out[0].bias),
            "crf.trans": a(self.trans[0]),
            "crf.start": a(self.start[0]),
            "crf.end": a(self.end[0]),
        }
        for j, emb in enumerate(self.clus):
            w[f"emb.clus{j}"] = a(emb.weight)
        for j, conv in enumerate(self.convs):
            w[f"char.conv{j}.w"] = a(conv.weight)
            w[f"char.conv{j}.b"] = a(conv.bias)
        return w


def collate(
    sents: list[Sentence],
    enc: WordEncoder,
    rng: random.Random | None,
    singletons: set[int],
    unk_p: float,
    ent_unk: float = 0.0,
    drop_lex: bool = False,
) -> dict[str, torch.Tensor]:
    b = len(sents)
    t = max(len(s[0]) for s in sents)
    word = torch.zeros(b, t, dtype=torch.long)
    chars = torch.zeros(b, t, MAX_CHARS, dtype=torch.long)
    pre = torch.zeros(b, t, dtype=torch.long)
    shape = torch.zeros(b, t, dtype=torch.long)
    lex = torch.zeros(b, t, enc.n_lex)
    clus = torch.zeros(b, t, len(enc.cluster_sizes), dtype=torch.long)
    tags = torch.zeros(b, t, dtype=torch.long)
    mask = torch.zeros(b, t, dtype=torch.bool)
    label_id = {lab: k for k, lab in enumerate(LABELS)}
    for r, (toks, gold) in enumerate(sents):
        # Unseen-name simulation: a share of the mentions lose their word identity
        # (with drop_lex, their gazetteer hits too), as names never seen in training.
        blank: set[int] = set()
        if rng is not None and ent_unk:
            for _, start, end in spans_from_bio(gold):
                if rng.random() < ent_unk:
                    blank.update(range(start, end))
        for i, tok in enumerate(toks):
            wid, cs, p, sh, lx, cl = enc.encode(tok)
            if rng is not None and wid in singletons and rng.random() < unk_p:
                wid = UNK  # word dropout: teach the network to tag unknown words
            if i in blank:
                wid = UNK
                if drop_lex:
                    lx = tuple(k for k in lx if not enc.vocab["lex_classes"][k].startswith("g="))
            word[r, i] = wid
            chars[r, i, : len(cs)] = torch.tensor(cs)
            pre[r, i] = p
            shape[r, i] = sh
            for k in lx:
                lex[r, i, k] = 1.0
            clus[r, i] = torch.tensor(cl)
            tags[r, i] = label_id[gold[i]]
        mask[r, : len(toks)] = True
    return {"word": word, "chars": chars, "pre": pre, "shape": shape, "lex": lex, "clus": clus, "tags": tags, "mask": mask}


def build_encoder(
    train_sents: list[Sentence], vec_vocab: list[str], extractor: FeatureExtractor, cluster_sizes: list[int]
) -> tuple[WordEncoder, Counter[str]]:
    infos = [extractor._info(t) for toks, _ in train_sents for t in toks]
    counts = Counter(i[3] for i in infos)
    with_vectors = set(vec_vocab)
    words = list(vec_vocab) + sorted(w for w, c in counts.items() if c >= 2 and w not in with_vectors)
    chars = sorted({c for i in infos for c in i[0]})
    pres = sorted({i[1] for i in infos})
    shapes = sorted({i[4] for i in infos})
    lex = sorted({*("g=" + g for i in infos for g in i[5]), *("t=" + t for i in infos for t in i[6])})
    vocab = WordEncoder.build_vocab(words, chars, pres, shapes, lex, cluster_sizes)
    vocab["labels"] = list(LABELS)
    return WordEncoder(vocab, extractor), counts


def evaluate(tagger: NeuralNer, sents: list[Sentence]) -> dict:
    pred = tagger.tag_sentences([t for t, _ in sents])
    return score([g for _, g in sents], pred)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "ner")
    ap.add_argument("--out", type=Path, default=REPO / "build" / "ner")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--dev-fraction", type=float, default=0.1)
    ap.add_argument("--final", action="store_true", help="train on all of ANERcorp train")
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--hidden", type=int, default=128, help="LSTM units per direction")
    ap.add_argument("--filters", type=int, default=64, help="char CNN filters per width")
    ap.add_argument("--widths", default="3", help="char CNN widths, e.g. 2,3,4")
    ap.add_argument("--dropout", type=float, default=0.5)
    ap.add_argument("--unk", type=float, default=0.3, help="word dropout rate for words seen once")
    ap.add_argument("--ent-unk", type=float, default=0.3, help="share of training mentions shown as unseen names")
    ap.add_argument("--ent-unk-drop-lex", action="store_true", help="unseen-name mentions lose their gazetteer hits too")
    ap.add_argument("--dims", type=int, default=100, help="word vector size")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--ema", type=float, default=0.998, help="exponential moving average of the weights (0: off)")
    ap.add_argument("--decay", type=float, default=0.93, help="learning rate factor per epoch")
    ap.add_argument("--aux", default="aqmar,wikifane", help="auxiliary corpora for the second head, or none")
    ap.add_argument("--aux-ratio", type=float, default=1.5, help="auxiliary batches per ANERcorp batch per epoch")
    ap.add_argument("--freeze-words", action="store_true", help="keep the SVD word vectors fixed")
    ap.add_argument("--weight", type=float, default=2.0, help="the network's weight next to the CRF")
    ap.add_argument("--window", type=int, default=10, help="label propagation window in sentences")
    ap.add_argument("--report-test", action="store_true", help="print the combined model's scores on both test files")
    args = ap.parse_args(argv)

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    t0 = time.time()
    aner = [retokenize_gold((t, fix_bio(g))) for t, g in read_conll(args.data / ANER_TRAIN)]
    n_dev = 0 if args.final else int(len(aner) * args.dev_fraction)
    train_part, dev = (aner, []) if n_dev == 0 else (aner[:-n_dev], aner[-n_dev:])
    wiki = [retokenize_gold(s) for s in load_aqmar(args.data / "aqmar")]
    wiki += [retokenize_gold(s) for s in load_wikifane(args.data / "fane-gold" / "WikiFANE_Gold_2014_500K.txt")]
    texts = [toks for toks, _ in train_part] + [toks for toks, _ in wiki]
    aux = [s for s in wiki if s[0]] if args.aux != "none" else []

    lex = load_lexicons(None, args.out / GAZETTEER_FILE, args.out / CLUSTERS_FILE)
    extractor = FeatureExtractor(lex)
    keyer = make_keyer(texts)
    vec_vocab, vecs = word_vectors(texts, keyer, args.seed, args.dims)
    n_clusters = max((len(v) for v in lex.clusters.values()), default=0)
    sizes = [1 + max(int(v[j]) for v in lex.clusters.values()) for j in range(n_clusters)]
    enc, counts = build_encoder(train_part, vec_vocab, extractor, sizes)
    words = enc.vocab["words"]
    init = np.random.default_rng(args.seed).normal(0, 0.1, (len(words), args.dims)).astype(np.float32)
    init[0] = 0
    init[2 : 2 + len(vec_vocab)] = vecs
    singletons = {enc.words[w] for w, c in counts.items() if c == 1 and w in enc.words}
    print(
        f"{len(train_part)} train / {len(dev)} dev sentences; {len(words)} words "
        f"({len(vec_vocab)} with vectors); {time.time() - t0:.0f}s",
        file=sys.stderr,
    )

    widths = tuple(int(k) for k in args.widths.split(","))
    net = Net(enc, init, 32, args.filters, widths, args.hidden, args.dropout)
    net.word.weight.requires_grad_(not args.freeze_words)
    opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=args.lr)
    # Batches of similar length (less padding), shuffled each epoch.
    order = sorted(range(len(train_part)), key=lambda k: len(train_part[k][0]))
    batches = [(0, order[k : k + args.batch]) for k in range(0, len(order), args.batch)]
    aux_order = sorted(range(len(aux)), key=lambda k: len(aux[k][0]))
    aux_batches = [(1, aux_order[k : k + args.batch]) for k in range(0, len(aux_order), args.batch)]
    n_aux = min(len(aux_batches), int(len(batches) * args.aux_ratio))
    history = []
    best = (-1.0, 0)
    ema = torch.optim.swa_utils.AveragedModel(
        net, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(args.ema)
    ) if args.ema else None
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, args.decay)
    for epoch in range(1, args.epochs + 1):
        net.train()
        epoch_batches = batches + rng.sample(aux_batches, n_aux)
        rng.shuffle(epoch_batches)
        total = 0.0
        for head, bidx in epoch_batches:
            sents = [(aux if head else train_part)[k] for k in bidx]
            batch = collate(sents, enc, rng, singletons, args.unk, args.ent_unk, args.ent_unk_drop_lex)
            opt.zero_grad()
            loss = net.nll(net.emissions(batch, head), batch["tags"], batch["mask"], head)
            (loss / len(bidx)).backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            if ema is not None:
                ema.update_parameters(net)
            if not head:
                total += float(loss.detach())
        sched.step()
        net.eval()
        final = ema.module if ema is not None else net
        line = f"epoch {epoch}: loss {total / len(train_part):.3f}; {time.time() - t0:.0f}s"
        if dev:
            tagger = NeuralNer(final.export(), enc.vocab, extractor)
            f1 = evaluate(tagger, dev)["micro"]["f1"]
            history.append(f1)
            best = max(best, (f1, epoch))
            line += f"; dev F1 {f1:.4f} (best {best[0]:.4f} @ {best[1]})"
        print(line, file=sys.stderr, flush=True)

    save_npz(args.out / NN_FILE, {k: v.astype(np.float16) for k, v in final.export().items()})
    (args.out / NN_VOCAB_FILE).write_text(json.dumps(enc.vocab, ensure_ascii=False) + "\n", encoding="utf-8")
    neural = NeuralNer.load(args.out / NN_FILE, args.out / NN_VOCAB_FILE, extractor)
    if dev:
        print("== network alone, held-out dev")
        print(format_ner_report(evaluate(neural, dev)))
        # The combination with the CRF trained by train_ner.py on the same 90%:
        # the weight and the propagation window are chosen here, on dev.
        for weight in (0.5, 1.0, 1.5, 2.0, 3.0):
            for window in (None, 5, 10, 20):
                tagger = CrfTagger(args.out / MODEL_FILE, lex, neural=neural, neural_weight=weight, propagate_window=window)
                s = evaluate(tagger, dev)["micro"]
                print(f"dev: CRF + {weight} x network, propagation window {window}: F1 {s['f1']:.4f} "
                      f"(P {s['precision']:.3f} R {s['recall']:.3f})")
    meta_path = args.out / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    meta.update(neural_weight=args.weight, propagate_window=args.window)
    meta_path.write_text(json.dumps(meta) + "\n", encoding="utf-8")
    tagger = CrfTagger(
        args.out / MODEL_FILE, lex, neural=neural, neural_weight=args.weight, propagate_window=args.window
    )
    if dev:
        print(f"== CRF + network (weight {args.weight}, window {args.window}), held-out dev")
        print(format_ner_report(evaluate(tagger, dev)))
    if args.report_test:
        for name in ANER_TESTS:
            print(f"== CRF + network (weight {args.weight}, window {args.window}), {name}")
            print(format_ner_report(evaluate(tagger, read_conll(args.data / name))))
    print(f"done in {time.time() - t0:.0f}s", file=sys.stderr)
    return 0


def save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """``np.savez_compressed`` with fixed zip timestamps: same weights, same bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, arr in sorted(arrays.items()):
            buf = io.BytesIO()
            np.save(buf, arr, allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())


if __name__ == "__main__":
    raise SystemExit(main())
