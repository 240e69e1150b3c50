/**
 * Models leave the tab (DESIGN.md): weights as safetensors, graph + weights in one model file, and
 * the inference graph as ONNX. Pure functions over bytes and documents; the worker calls them with
 * a program's variables and weights, the page offers the files.
 */
export { decodeTensor, MAX_HEADER_BYTES, readSafetensors, SafetensorsError, writeSafetensors } from './safetensors';
export type { DecodedTensor, ReadOptions, SafetensorsDType, SafetensorsFile, SafetensorsTensor, TensorToWrite } from './safetensors';
export { encodeWeights, matchedValues, matchWeights, tensorNameOf, WEIGHTS_METADATA } from './weights';
export type { EncodeOptions, WeightMatch, WeightProblem, WeightSpec } from './weights';
export { MODEL_ENTRIES, MODEL_FILE_LIMITS, ModelFileError, packModel, unpackModel } from './modelFile';
export type { ModelFileLimits, UnpackedModel } from './modelFile';
export { ExportError, exportOnnx, ONNX_IR_VERSION, ONNX_NODE_TYPES, ONNX_OPSET } from './onnx/export';
export type { OnnxExport, OnnxExportOptions, OnnxValue } from './onnx/export';
export { exportPyTorch } from './pytorch/export';
export type { PyTorchExport, PyTorchExportOptions } from './pytorch/export';
export { PYTORCH_LOSSES, PYTORCH_NODE_TYPES } from './pytorch/model';
