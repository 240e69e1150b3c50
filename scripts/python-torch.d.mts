/** Types for scripts/python-torch.mjs (a plain Node script, also imported by tests). */
export const SYSTEM_PYTHON: string;
/** A Python that imports torch, installing Debian's python3-torch when root; or why there is none. */
export function findOrInstallPythonTorch(): { python: string; source: 'PYTHON_TORCH' | 'system' | 'apt-get' } | { python: null; reason: string };
