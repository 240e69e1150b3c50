"""PyTorch's nn.MultiheadAttention (batch_first), as a fixture for Wiregrad's MultiHeadAttention
(engine/graph/nodes/attention.torch.test.ts).

Run: /usr/bin/python3 scripts/make-torch-attention-fixture.py
Writes engine/graph/nodes/fixtures/attention.torch.json. Two cases: causal self-attention (one
packed in_proj_weight) and cross-attention to keys/values of another width (kdim = vdim != embed_dim,
separate q/k/v weights). For each: the inputs, the weights in Wiregrad's layout (kernels [in, out],
the transposes of PyTorch's [out, in]), the output, the per-head softmax weights
(average_attn_weights=False), the MSE loss against a random target, and the gradients of the
inputs and every weight, also in Wiregrad's layout.
"""
import json
import os

import torch

torch.manual_seed(15)
torch.set_default_dtype(torch.float64)  # the reference in float64; Wiregrad runs float32


def floats(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def case(name, batch, tq, tk, embed, kv_dim, heads, causal, cross):
    mha = torch.nn.MultiheadAttention(embed, heads, bias=True, batch_first=True,
                                      kdim=kv_dim if cross else None, vdim=kv_dim if cross else None)
    with torch.no_grad():  # non-zero biases, so that a missing bias would show
        mha.in_proj_bias.normal_(0, 0.3)
        mha.out_proj.bias.normal_(0, 0.3)
    q = torch.randn(batch, tq, embed, requires_grad=True)
    kv = torch.randn(batch, tk, kv_dim, requires_grad=True) if cross else q
    mask = torch.triu(torch.ones(tq, tk, dtype=torch.bool), diagonal=1) if causal else None
    y, weights = mha(q, kv, kv, attn_mask=mask, need_weights=True, average_attn_weights=False)
    target = torch.randn(batch, tq, embed)
    loss = torch.nn.functional.mse_loss(y, target)
    loss.backward()

    e = embed
    if cross:
        wq, wk, wv = mha.q_proj_weight, mha.k_proj_weight, mha.v_proj_weight
        gq, gk, gv = wq.grad, wk.grad, wv.grad
    else:
        w, g = mha.in_proj_weight, mha.in_proj_weight.grad
        wq, wk, wv = w[:e], w[e:2 * e], w[2 * e:]
        gq, gk, gv = g[:e], g[e:2 * e], g[2 * e:]
    b, gb = mha.in_proj_bias, mha.in_proj_bias.grad

    def wiregrad(kq, kk, kvv, bq, ok, ob):
        return {"query_kernel": floats(kq.T), "key_kernel": floats(kk.T), "value_kernel": floats(kvv.T),
                "output_kernel": floats(ok.T), "query_bias": floats(bq[:e]), "key_bias": floats(bq[e:2 * e]),
                "value_bias": floats(bq[2 * e:]), "output_bias": floats(ob)}

    out = {
        "name": name, "batch": batch, "tq": tq, "tk": tk, "embed": embed, "kvDim": kv_dim, "heads": heads,
        "keyDim": embed // heads, "causal": causal, "cross": cross,
        "q": floats(q), "kv": floats(kv) if cross else None, "target": floats(target),
        "weights": wiregrad(wq, wk, wv, b, mha.out_proj.weight, mha.out_proj.bias),
        "y": floats(y), "attention": floats(weights), "loss": float(loss),
        "dq": floats(q.grad), "dkv": floats(kv.grad) if cross else None,
        "grads": wiregrad(gq, gk, gv, gb, mha.out_proj.weight.grad, mha.out_proj.bias.grad),
    }
    return out


fixture = {
    "made_by": "scripts/make-torch-attention-fixture.py",
    "torch": torch.__version__,
    "cases": [
        case("causal self-attention", batch=2, tq=5, tk=5, embed=8, kv_dim=8, heads=2, causal=True, cross=False),
        case("cross-attention, kdim = vdim = 6", batch=2, tq=3, tk=4, embed=8, kv_dim=6, heads=4, causal=False, cross=True),
    ],
}
path = os.path.join(os.path.dirname(__file__), "..", "engine", "graph", "nodes", "fixtures", "attention.torch.json")
with open(path, "w") as f:
    json.dump(fixture, f)
print("wrote", os.path.normpath(path))
