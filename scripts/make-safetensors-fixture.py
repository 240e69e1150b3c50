#!/usr/bin/env python3
"""Write engine/interchange/fixtures/torch.safetensors: PyTorch tensors in the safetensors format.

Run with /usr/bin/python3 (Debian's python3-torch). With Hugging Face's `safetensors` package
installed it writes through `safetensors.torch.save_file`; without it (Debian has no package for
it), through `save_file` below, which lays the file out as the reference Rust writer does:
tensors sorted by dtype (largest alignment first) then name, data in that order, the JSON header
compact with "__metadata__" first, padded with spaces to a multiple of 8 bytes.
The test (engine/interchange/safetensors.test.ts) checks the file against a header written out by
hand from the specification and against the values below.
"""
import json
import struct
import sys
from pathlib import Path

import torch

OUT = Path(__file__).resolve().parent.parent / "engine" / "interchange" / "fixtures" / "torch.safetensors"

# The reference implementation's dtype order (increasing alignment).
ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]
NAMES = {torch.bool: "BOOL", torch.uint8: "U8", torch.int8: "I8", torch.int16: "I16", torch.float16: "F16",
         torch.bfloat16: "BF16", torch.int32: "I32", torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}


def raw(t: torch.Tensor) -> bytes:
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)  # numpy has no bfloat16; the bits are what is stored
    assert sys.byteorder == "little"
    return t.numpy().tobytes()


def save_file(tensors: dict, filename: Path, metadata: dict | None = None) -> None:
    items = sorted(tensors.items(), key=lambda kv: (-ORDER.index(NAMES[kv[1].dtype]), kv[0].encode("utf-8")))
    header = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    offset, blobs = 0, []
    for name, t in items:
        b = raw(t)
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    filename.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))


try:
    from safetensors.torch import save_file as reference_save_file
except ImportError:
    reference_save_file = None

tensors = {
    # A Linear(3, 2) layer as PyTorch stores it (weight [out, in]); values exact in every dtype used.
    "linear.weight": torch.arange(6, dtype=torch.float32).reshape(2, 3) / 4 - 0.5,
    "linear.bias": torch.tensor([0.25, -1.5]),
    "half": torch.tensor([1.0, -2.5, 65504.0, 2.0 ** -14, 2.0 ** -24], dtype=torch.float16),
    "bf": torch.tensor([1.0, -3.0, 0.5, 2.0 ** 100], dtype=torch.bfloat16),
    "double": torch.tensor([[0.1, -1e-3]], dtype=torch.float64),
    "steps": torch.tensor([0, -7, 2 ** 31 - 1], dtype=torch.int64),
    "mask": torch.tensor([0, 1, 255], dtype=torch.uint8),
    "scalar": torch.tensor(3.5),
    "empty": torch.zeros(0, 3),
    "ünïcode.weight": torch.tensor([1.0]),
}
(reference_save_file or save_file)(tensors, OUT, metadata={"format": "pt"})
print(f"wrote {OUT} ({OUT.stat().st_size} bytes) with {'safetensors' if reference_save_file else 'the port of its writer'}, torch {torch.__version__}")
