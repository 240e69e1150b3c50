"""PyTorch's RNN, LSTM and GRU as fixtures for Wiregrad's (engine/graph/nodes/recurrent.torch.test.ts).

Run: /usr/bin/python3 scripts/make-torch-recurrent-fixture.py   (Debian's python3-torch, 1.13)
Writes engine/graph/nodes/fixtures/recurrent.torch.json: for each cell (RNN tanh and relu, LSTM, GRU;
with and without biases; every step's output or only the last), torch.nn's default-initialised weights
(U(-1/sqrt(H), 1/sqrt(H))), a batch_first input, the forward output, the MSE loss against a random
target, and the gradients of the input and of every weight.
"""
import json
import os

import torch

torch.manual_seed(15)


def floats(t):
    return [float(f"{v:.9g}") for v in t.detach().reshape(-1).tolist()]  # float32 round-trips in 9 digits


def case(kind, batch=3, time=5, features=4, units=3, bias=True, return_sequences=True, nonlinearity="tanh"):
    if kind == "RNN":
        layer = torch.nn.RNN(features, units, batch_first=True, bias=bias, nonlinearity=nonlinearity)
    else:
        layer = getattr(torch.nn, kind)(features, units, batch_first=True, bias=bias)
    x = (torch.randn(batch, time, features) * 1.5).requires_grad_(True)
    out = layer(x)[0]
    y = out if return_sequences else out[:, -1]
    t = torch.randn(*y.shape)
    loss = torch.nn.functional.mse_loss(y, t)
    loss.backward()
    names = ["weight_ih", "weight_hh"] + (["bias_ih", "bias_hh"] if bias else [])
    params = {n: getattr(layer, f"{n}_l0") for n in names}
    return {
        "kind": kind,
        "params": {"units": units, "returnSequences": return_sequences, "useBias": bias, **({"activation": nonlinearity} if kind == "RNN" else {})},
        "shape": [batch, time, features],
        "weights": {n: floats(p) for n, p in params.items()},
        "x": floats(x), "t": floats(t), "y": floats(y), "loss": float(loss), "dx": floats(x.grad),
        "grads": {n: floats(p.grad) for n, p in params.items()},
    }


fixture = {
    "made_by": "scripts/make-torch-recurrent-fixture.py",
    "torch": torch.__version__,
    "cases": [
        case("RNN"), case("RNN", nonlinearity="relu", return_sequences=False),
        case("LSTM"), case("LSTM", return_sequences=False), case("LSTM", bias=False, time=3, units=2),
        case("GRU"), case("GRU", return_sequences=False), case("GRU", bias=False, time=3, units=2),
    ],
}
path = os.path.join(os.path.dirname(__file__), "..", "engine", "graph", "nodes", "fixtures", "recurrent.torch.json")
with open(path, "w") as f:
    json.dump(fixture, f)
    f.write("\n")
print(f"wrote {os.path.normpath(path)}")
