/** Types for scripts/python-onnx.mjs (a plain Node script, also imported by tests). */
export const SYSTEM_PYTHON: string;
/** A Python that imports onnx, installing Debian's python3-onnx when root; or why there is none. */
export function findOrInstallPythonOnnx(): { python: string; source: 'PYTHON_ONNX' | 'system' | 'apt-get' } | { python: null; reason: string };
