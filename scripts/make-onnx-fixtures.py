#!/usr/bin/env python3
"""Write the ONNX import fixtures in engine/interchange/onnx/fixtures/ with real PyTorch.

Run with /usr/bin/python3 (Debian's python3-torch 1.13 and python3-onnx; `node scripts/python-torch.mjs`
installs them). Each model is exported with torch.onnx.export (opset 17, batch dimension dynamic,
constant folding off so batch norm stays a BatchNormalization node), and PyTorch's own outputs on a
fixed input are written next to it as JSON ({input: {name, shape, data}, output: {name, shape, data}}),
so the test (engine/interchange/onnx/import.test.ts) checks Wiregrad against PyTorch as well as
against ONNX Runtime. `unsupported.onnx` holds operators Wiregrad does not import (CumSum, Erf).
"""
import json
from pathlib import Path

import torch
from torch import nn

OUT = Path(__file__).resolve().parent.parent / "engine" / "interchange" / "onnx" / "fixtures"


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(12, 16)
        self.fc2 = nn.Linear(16, 8)
        self.out = nn.Linear(8, 3)

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        x = torch.tanh(self.fc2(x))
        return torch.softmax(self.out(x), dim=-1)


class LeNet(nn.Module):
    """LeNet-style: two conv + pool stages on a 1×16×16 image, then two Linear layers."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 5, padding=2)
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(4, 6, 3)
        self.pool2 = nn.AvgPool2d(2)
        self.fc1 = nn.Linear(6 * 3 * 3, 20)
        self.fc2 = nn.Linear(20, 10)

    def forward(self, x):
        x = self.pool1(torch.relu(self.conv1(x)))
        x = self.pool2(torch.sigmoid(self.conv2(x)))
        x = torch.flatten(x, 1)
        return self.fc2(torch.relu(self.fc1(x)))


class Residual(nn.Module):
    """A pre-activation residual block with batch norm (running statistics set, eval mode), then a head.

    Batch norm right after a convolution is folded into it by the exporter in eval mode, so the
    block puts both batch norms after a ReLU (the stem's and conv1's) where they stay.
    """

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 4, 3, padding=1)
        self.conv1 = nn.Conv2d(4, 4, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(4)
        self.head = nn.Linear(4 * 6 * 6, 5)
        self.norm = nn.LayerNorm(5)

    def forward(self, x):
        x = torch.relu(self.stem(x))
        y = torch.relu(self.conv1(torch.relu(self.bn1(x))))
        y = self.conv2(self.bn2(y))
        x = torch.relu(x + y)
        return self.norm(self.head(torch.flatten(x, 1)))


class Unsupported(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        return torch.cumsum(nn.functional.gelu(self.fc(x)), dim=1)


def randomise_norms(model: nn.Module, gen: torch.Generator) -> None:
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm2d, nn.LayerNorm)):
            with torch.no_grad():
                m.weight.copy_(1 + 0.3 * torch.randn(m.weight.shape, generator=gen))
                m.bias.copy_(0.3 * torch.randn(m.bias.shape, generator=gen))
                if isinstance(m, nn.BatchNorm2d):
                    m.running_mean.copy_(0.2 * torch.randn(m.running_mean.shape, generator=gen))
                    m.running_var.copy_(0.5 + torch.rand(m.running_var.shape, generator=gen))


def export(name: str, model: nn.Module, shape: list) -> None:
    gen = torch.Generator().manual_seed(len(name))
    randomise_norms(model, gen)
    model.eval()
    x = torch.randn([2, *shape], generator=gen)
    path = OUT / f"{name}.onnx"
    torch.onnx.export(model, (x,), str(path), input_names=["input"], output_names=["output"], opset_version=17,
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, do_constant_folding=False)
    with torch.no_grad():
        y = model(x)
    record = {
        "input": {"name": "input", "shape": list(x.shape), "data": [float(v) for v in x.flatten()]},
        "output": {"name": "output", "shape": list(y.shape), "data": [float(v) for v in y.flatten()]},
    }
    (OUT / f"{name}.expected.json").write_text(json.dumps(record) + "\n")
    print(f"wrote {path.name} ({path.stat().st_size} bytes)")


def main() -> None:
    torch.manual_seed(0)
    OUT.mkdir(parents=True, exist_ok=True)
    export("mlp", Mlp(), [12])
    export("lenet", LeNet(), [1, 16, 16])
    export("residual", Residual(), [3, 6, 6])
    export("unsupported", Unsupported(), [4])


if __name__ == "__main__":
    main()
