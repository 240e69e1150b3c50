#!/usr/bin/env python3
"""PyTorch reference for `npm run bench:node`: the same MLP step and matmul GFLOPS on CUDA.

The MLP 784-256-10 (Dense 256 ReLU, Dense 10), softmax cross-entropy on sparse labels, Adam
(lr 1e-3, betas 0.9/0.999, eps 1e-7), batch 128, one fixed random batch on the device; the same
LeNet-5 CNN (batch 64, NHWC data transposed to NCHW once); matmuls 128x784x256, its two gradient
shapes (dY·Wᵀ, Xᵀ·dY), 1024³ and 4096³ (TF32 off unless --tf32); the char-GPT transformer row
(2 pre-LN causal blocks of 4 heads, width 64, context 64, vocabulary 128, batch 32: bench/lib/
transformer.ts) in tokens per second. Timed as in the Wiregrad harness: warm-up excluded, N steps, then
one torch.cuda.synchronize(); median of rounds. Prints a table and a last line `TORCH <json>`.

With --scale quick|full (quick by default on CUDA), also bench:scale's grid: the MLP 784-W-10 at widths
256…4096 (batch 128) and batches 32…1024 (width 256), and the CNN of D conv3×3@16 layers (same padding,
ReLU, 2×2 max-pool after every second, Dense 10; batch 32), as `TORCH_SCALE <json>` with keys
scale_<cell>_ms_torch, beside bench:node --suite scale's scale_<cell>_ms_wiregrad_webgpu.

    python3 bench/torch_mlp.py [--steps 200] [--rounds 5] [--device cuda] [--tf32] [--scale quick]
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("--steps", type=int, default=200, help="timed steps (or matmul runs) per round")
p.add_argument("--rounds", type=int, default=5)
p.add_argument("--warmup", type=int, default=20)
p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
p.add_argument("--tf32", action="store_true", help="allow TF32 matmuls (off by default: Wiregrad computes in f32)")
p.add_argument("--seed", type=int, default=1)
p.add_argument("--scale", choices=["none", "quick", "full"], default=None,
               help="bench:scale's grid (MLP width, batch, CNN depth: bench/scale/workloads.ts); default quick on CUDA, none on a CPU")
p.add_argument("--scale-steps", type=int, default=20, help="timed steps per scale cell and round")
args = p.parse_args()

dev = torch.device(args.device)
torch.backends.cuda.matmul.allow_tf32 = args.tf32
torch.backends.cudnn.allow_tf32 = args.tf32
torch.manual_seed(args.seed)


def sync():
    if dev.type == "cuda":
        torch.cuda.synchronize()


def timed(fn, steps):
    """Median ms per call over rounds of `steps` calls, each round ended by one sync."""
    for _ in range(args.warmup):
        fn()
    sync()
    rounds = []
    for _ in range(args.rounds):
        t = time.perf_counter()
        for _ in range(steps):
            fn()
        sync()
        rounds.append((time.perf_counter() - t) * 1000 / steps)
    return statistics.median(rounds), rounds


def glorot(fan_in, fan_out, shape):
    limit = (6 / (fan_in + fan_out)) ** 0.5
    return ((torch.rand(shape, device=dev) * 2 - 1) * limit).requires_grad_()


def zeros(n):
    return torch.zeros(n, device=dev, requires_grad=True)


def train_case(params, forward, x, label, steps=None):
    opt = torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    losses = []

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(forward(x), label)
        loss.backward()
        opt.step()
        return loss

    losses.append(step().item())
    ms, rounds = timed(step, steps or args.steps)
    losses.append(step().item())
    return ms, rounds, losses


# ---- MLP 784-256-10, batch 128 (Keras layout: kernel [in, out]) ----
x = torch.rand(128, 784, device=dev)
label = torch.randint(0, 10, (128,), device=dev)
k1, b1, k2, b2 = glorot(784, 256, (784, 256)), zeros(256), glorot(256, 10, (256, 10)), zeros(10)
mlp = train_case([k1, b1, k2, b2], lambda x: torch.relu(x @ k1 + b1) @ k2 + b2, x, label)

# ---- LeNet-5, batch 64: conv 6@5x5 same, pool 2, conv 16@5x5 valid, pool 2, 120, 84, 10 ----
xc = torch.rand(64, 28, 28, 1, device=dev).permute(0, 3, 1, 2).contiguous()
lc = torch.randint(0, 10, (64,), device=dev)
c1, cb1 = glorot(25, 150, (6, 1, 5, 5)), zeros(6)
c2, cb2 = glorot(150, 400, (16, 6, 5, 5)), zeros(16)
f1, fb1, f2, fb2, f3, fb3 = glorot(400, 120, (400, 120)), zeros(120), glorot(120, 84, (120, 84)), zeros(84), glorot(84, 10, (84, 10)), zeros(10)


def lenet(x):
    h = F.max_pool2d(torch.relu(F.conv2d(x, c1, cb1, padding=2)), 2)
    h = F.max_pool2d(torch.relu(F.conv2d(h, c2, cb2)), 2)
    h = h.permute(0, 2, 3, 1).reshape(x.shape[0], -1)  # NHWC flatten order, as Wiregrad and tfjs
    return torch.relu(torch.relu(h @ f1 + fb1) @ f2 + fb2) @ f3 + fb3


cnn = train_case([c1, cb1, c2, cb2, f1, fb1, f2, fb2, f3, fb3], lenet, xc, lc)

# ---- char-GPT: Embedding(128, 64) + learned positions, 2 pre-LN causal blocks (4 heads, FFN 256 GELU),
# LayerNorm, Dense 128; cross-entropy over every position; batch 32 x context 64 (bench/lib/transformer.ts) ----
GPT_VOCAB, GPT_D, GPT_T, GPT_HEADS, GPT_LAYERS, GPT_BATCH = 128, 64, 64, 4, 2, 32


class CharGpt(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(GPT_VOCAB, GPT_D)
        self.positions = torch.nn.Parameter(torch.randn(GPT_T, GPT_D) * 0.02)
        self.blocks = torch.nn.ModuleList([
            torch.nn.TransformerEncoderLayer(GPT_D, GPT_HEADS, 4 * GPT_D, dropout=0.0, activation="gelu", batch_first=True, norm_first=True)
            for _ in range(GPT_LAYERS)
        ])
        self.norm = torch.nn.LayerNorm(GPT_D)
        self.logits = torch.nn.Linear(GPT_D, GPT_VOCAB)
        self.register_buffer("mask", torch.triu(torch.full((GPT_T, GPT_T), float("-inf")), diagonal=1))

    def forward(self, tokens):
        h = self.embed(tokens) + self.positions
        for block in self.blocks:
            h = block(h, src_mask=self.mask)
        return self.logits(self.norm(h)).reshape(-1, GPT_VOCAB)


gpt_model = CharGpt().to(dev)
xt = torch.randint(0, GPT_VOCAB, (GPT_BATCH, GPT_T), device=dev)
lt = torch.randint(0, GPT_VOCAB, (GPT_BATCH * GPT_T,), device=dev)
gpt = train_case(list(gpt_model.parameters()), gpt_model, xt, lt)
gpt_tokens_per_s = GPT_BATCH * GPT_T / (gpt[0] / 1000)

# ---- matmuls: C[m,n] = op(A)·op(B) ----
SHAPES = [(128, 784, 256, False, False, "X·W"), (128, 256, 784, False, True, "dY·Wᵀ"), (784, 128, 256, True, False, "Xᵀ·dY"), (1024, 1024, 1024, False, False, "square"), (4096, 4096, 4096, False, False, "square")]
gflops = {}
mm_rows = []
for m, k, n, ta, tb, role in SHAPES:
    if dev.type != "cuda" and m * k * n >= 1 << 32:
        continue  # 4096³ is a GPU figure: minutes on a CPU
    a = torch.rand((k, m) if ta else (m, k), device=dev) * 2 - 1
    b = torch.rand((n, k) if tb else (k, n), device=dev) * 2 - 1
    A = a.t() if ta else a
    B = b.t() if tb else b
    out = torch.empty(m, n, device=dev)
    ms, _ = timed(lambda: torch.matmul(A, B, out=out), args.steps if m * k * n < 1 << 32 else max(5, args.steps // 20))
    g = 2 * m * k * n / (ms * 1e6)
    gflops[f"{m}x{k}x{n}"] = round(g, 2)
    mm_rows.append((f"{m}x{k}x{n}", role, ms, g))

name = torch.cuda.get_device_name(dev) if dev.type == "cuda" else "cpu"
print(f"torch {torch.__version__} on {name}; TF32 {'on' if args.tf32 else 'off'}; {args.steps} steps x {args.rounds} rounds after {args.warmup} warm-up")
print(f"{'model':<6} {'ms/step':>9}  {'rounds':<40} loss first -> last")
for label_, (ms, rounds, losses) in (("mlp", mlp), ("cnn", cnn), ("gpt", gpt)):
    print(f"{label_:<6} {ms:9.4f}  {' / '.join(f'{r:.4f}' for r in rounds):<40} {losses[0]:.4f} -> {losses[-1]:.4f}")
print(f"gpt: {gpt_tokens_per_s:,.0f} tokens/s ({GPT_BATCH} x {GPT_T} tokens per step)")
print(f"{'m x k x n':<14} {'role':<8} {'ms/run':>9} {'GFLOPS':>10}")
for key, role, ms, g in mm_rows:
    print(f"{key:<14} {role:<8} {ms:9.4f} {g:10.1f}")
print("TORCH " + json.dumps({
    "device": name,
    "torch": torch.__version__,
    "tf32": args.tf32,
    "mlp_ms": round(mlp[0], 4),
    "cnn_ms": round(cnn[0], 4),
    "mlp_loss": [round(v, 4) for v in mlp[2]],
    "cnn_loss": [round(v, 4) for v in cnn[2]],
    "gpt_ms": round(gpt[0], 4),
    "gpt_tokens_per_s": round(gpt_tokens_per_s),
    "gpt_loss": [round(v, 4) for v in gpt[2]],
    "matmul_gflops": gflops,
}))

# ---- bench:scale's grid (bench/scale/workloads.ts), timed as above with --scale-steps ----
SCALE_GRIDS = {
    "quick": {"width": [256, 1024, 4096], "batch": [32, 256, 1024], "depth": [2, 4, 8]},
    "full": {"width": [256, 512, 1024, 2048, 4096], "batch": [32, 64, 128, 256, 512, 1024], "depth": [2, 4, 6, 8]},
}
scale = args.scale or ("quick" if dev.type == "cuda" else "none")


def scale_mlp(width, batch):
    xs = torch.rand(batch, 784, device=dev)
    ls = torch.randint(0, 10, (batch,), device=dev)
    w1, v1, w2, v2 = glorot(784, width, (784, width)), zeros(width), glorot(width, 10, (width, 10)), zeros(10)
    return [w1, v1, w2, v2], lambda x: torch.relu(x @ w1 + v1) @ w2 + v2, xs, ls


def scale_cnn(depth, batch=32, filters=16):
    xs = torch.rand(batch, 1, 28, 28, device=dev)
    ls = torch.randint(0, 10, (batch,), device=dev)
    convs, side, channels = [], 28, 1
    for i in range(1, depth + 1):
        convs.append((glorot(9 * channels, 9 * filters, (filters, channels, 3, 3)), zeros(filters), i % 2 == 0))
        channels = filters
        if i % 2 == 0:
            side //= 2
    wd, bd = glorot(side * side * filters, 10, (side * side * filters, 10)), zeros(10)

    def forward(x):
        h = x
        for w, b, pool in convs:
            h = torch.relu(F.conv2d(h, w, b, padding=1))
            if pool:
                h = F.max_pool2d(h, 2)
        return h.permute(0, 2, 3, 1).reshape(x.shape[0], -1) @ wd + bd

    return [p for w, b, _ in convs for p in (w, b)] + [wd, bd], forward, xs, ls


if scale != "none":
    grid = SCALE_GRIDS[scale]
    cells = [(f"mlp_w{w}", lambda w=w: scale_mlp(w, 128)) for w in grid["width"]]
    cells += [(f"mlp_b{b}", lambda b=b: scale_mlp(256, b)) for b in grid["batch"]]
    cells += [(f"cnn_d{d}", lambda d=d: scale_cnn(d)) for d in grid["depth"]]
    scale_ms = {}
    print(f"scale grid ({scale}), {args.scale_steps} steps x {args.rounds} rounds per cell:")
    for key, make in cells:
        params, forward, xs, ls = make()
        ms, _, _ = train_case(params, forward, xs, ls, args.scale_steps)
        scale_ms[f"scale_{key}_ms_torch"] = round(ms, 4)
        print(f"  {key:<10} {ms:9.4f} ms/step")
    print("TORCH_SCALE " + json.dumps({"device": name, "scale_grid": scale, **scale_ms}))
