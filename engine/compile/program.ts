/**
 * The Program a trainer runs: a training session (session.ts) over a pure compile (compiler.ts),
 * with an inference cache (inference.ts). This module is the entry point the rest of the code imports.
 */
export {
  CompileError,
  FEEDS,
  HALTED,
  compileTraining,
  compileInference,
  type Feed,
  type VariableSpec,
  type InitRecipe,
  type CompiledTraining,
} from './compiler';
export { MAX_INFERENCE_PROGRAMS, InferenceCache, type Batch, type ForwardResult } from './inference';
export {
  Program,
  type CarryFrom,
  type CarryReport,
  type Checkpoint,
  type LiveSettings,
  type OpView,
  type ProgramOptions,
  type StepRecord,
  type VariableInfo,
} from './session';
export { canApplyLive } from '../nn/optimizers';
