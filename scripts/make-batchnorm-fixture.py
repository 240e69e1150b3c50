"""PyTorch's BatchNorm with its defaults, as a fixture for Wiregrad's (engine/graph/nodes/batchnorm.torch.test.ts).

Run: $(node scripts/python-torch.mjs) scripts/make-batchnorm-fixture.py
Writes engine/graph/nodes/fixtures/batchnorm.torch.json: for a [batch, features] input (BatchNorm1d) and a
channels-last [batch, h, w, c] input (BatchNorm2d on the NCHW permutation), three training steps of
MSE against a random target with SGD (forward output, loss, gradients of the input, weight and bias,
then the running statistics and parameters after the update) and an eval-mode forward pass.
"""
import json
import os

import torch

torch.manual_seed(12)


def floats(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def case(name, shape, lr=0.1, steps=3):
    channels = shape[-1]
    bn = torch.nn.BatchNorm1d(channels) if len(shape) == 2 else torch.nn.BatchNorm2d(channels)  # defaults only
    nchw = (lambda a: a) if len(shape) == 2 else (lambda a: a.permute(0, 3, 1, 2))
    nhwc = (lambda a: a) if len(shape) == 2 else (lambda a: a.permute(0, 2, 3, 1))
    opt = torch.optim.SGD(bn.parameters(), lr=lr)
    out = {
        "name": name,
        "shape": shape,
        "lr": lr,
        "defaults": {"momentum": bn.momentum, "eps": bn.eps, "weight": floats(bn.weight), "bias": floats(bn.bias)},
        "steps": [],
    }
    for _ in range(steps):
        x = (torch.randn(*shape) * 2 + 0.5).requires_grad_(True)
        t = torch.randn(*shape)
        bn.train()
        y = nhwc(bn(nchw(x)))
        loss = torch.nn.functional.mse_loss(y, t)
        opt.zero_grad()
        loss.backward()
        step = {"x": floats(x), "t": floats(t), "y": floats(y), "loss": float(loss), "dx": floats(x.grad),
                "dgamma": floats(bn.weight.grad), "dbeta": floats(bn.bias.grad)}
        opt.step()
        step.update({"running_mean": floats(bn.running_mean), "running_var": floats(bn.running_var),
                     "gamma": floats(bn.weight), "beta": floats(bn.bias)})
        out["steps"].append(step)
    bn.eval()
    with torch.no_grad():
        x = torch.randn(*shape) * 2 + 0.5
        out["eval"] = {"x": floats(x), "y": floats(nhwc(bn(nchw(x))))}
    return out


fixture = {
    "made_by": "scripts/make-batchnorm-fixture.py",
    "torch": torch.__version__,
    "cases": [case("features", [5, 3]), case("channels_last", [2, 3, 3, 2])],
}
path = os.path.join(os.path.dirname(__file__), "..", "engine", "graph", "nodes", "fixtures", "batchnorm.torch.json")
with open(path, "w") as f:
    json.dump(fixture, f)
    f.write("\n")
print(f"wrote {os.path.normpath(path)}")
