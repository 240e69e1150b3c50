#!/usr/bin/env bash
# On a machine with an NVIDIA GPU and no repository tools, in one run that fits 10 minutes: bench/torch_mlp.py
# (PyTorch, TF32 off, with bench:scale's quick grid), the bundled bench:node (every row: MLP, LeNet, the
# char-GPT transformer; WebGPU, CPU, WASM and tfjs; every matmul including 4096³), the bundled bench:node
# --suite scale (the quick grid: MLP width and batch, CNN depth; Wiregrad and tfjs, with the memory table
# and plot), then bench/gpu-report.mjs: Wiregrad-WebGPU against PyTorch on the same card, as ratios,
# with issue 16's targets. Needs bench/out/gpu-kit.tar.xz, made here by:
#   node scripts/bundle-bench-node.mjs --with-node && mkdir -p bench/out/node/lib && cp /usr/lib/chromium/libvulkan.so.1 bench/out/node/lib/ \
#     && (cd bench/out && tar -cf - node | xz -T2 -6 > gpu-kit.tar.xz)
# Usage: bench/gpu-run.sh [bench:node options…]; outputs go to $OUT (default /tmp/bench-out): gpu.txt,
# torch.txt, node.txt, node-scale.txt, scale/scale.svg, report.txt. Time limits per part (seconds):
# TORCH_TIMEOUT (120), NODE_TIMEOUT (300), SCALE_TIMEOUT (150); TORCH_ARGS (none) and SCALE_ARGS (--quick 1
# --total-budget 120000) pass options to bench/torch_mlp.py and to --suite scale.
set -u
OUT=${OUT:-/tmp/bench-out}
mkdir -p "$OUT"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 | tee "$OUT/gpu.txt"
KIT=/tmp/wiregrad-kit
mkdir -p "$KIT" && tar -xJf bench/out/gpu-kit.tar.xz -C "$KIT"
NODE=$(command -v node || echo "$KIT/node/node")
[ -x "$KIT/node/node" ] && NODE="$KIT/node/node"
# Dawn needs Vulkan: the NVIDIA ICD (or one written for the driver's libGLX_nvidia), and a loader
# (the system's, else the one shipped in the kit).
icd=$(ls /usr/share/vulkan/icd.d/nvidia_icd*.json /etc/vulkan/icd.d/nvidia_icd*.json 2>/dev/null | head -1)
if [ -z "$icd" ]; then
  glx=$(ldconfig -p | awk '/libGLX_nvidia\.so\.0/ {print $NF; exit}')
  if [ -n "$glx" ]; then
    printf '{"file_format_version":"1.0.0","ICD":{"library_path":"%s","api_version":"1.3.0"}}\n' "$glx" > /tmp/nvidia_icd.json
    icd=/tmp/nvidia_icd.json
  fi
fi
[ -n "$icd" ] && export VK_ICD_FILENAMES=$icd
ldconfig -p | grep -q 'libvulkan\.so\.1 ' || export LD_LIBRARY_PATH="$KIT/node/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}
echo "node=$NODE ($("$NODE" --version)) icd=${icd:-none} LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}" | tee -a "$OUT/gpu.txt"
# shellcheck disable=SC2086 # TORCH_ARGS is a list of options
timeout "${TORCH_TIMEOUT:-120}" python3 bench/torch_mlp.py ${TORCH_ARGS:-} 2>&1 | tee "$OUT/torch.txt"
[ $# -eq 0 ] && set -- --matmul all
timeout "${NODE_TIMEOUT:-300}" "$NODE" "$KIT/node/bench-node.mjs" "$@" 2>&1 | tee "$OUT/node.txt"
# shellcheck disable=SC2086 # SCALE_ARGS is a list of options
BENCH_SCALE_OUT="$OUT/scale" timeout "${SCALE_TIMEOUT:-150}" "$NODE" "$KIT/node/bench-node.mjs" --suite scale ${SCALE_ARGS:---quick 1 --total-budget 120000} 2>&1 | tee "$OUT/node-scale.txt"
"$NODE" bench/gpu-report.mjs "$OUT" 2>&1 | tee "$OUT/report.txt"
