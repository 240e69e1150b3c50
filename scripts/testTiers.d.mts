/** Where test files live, as Vitest include globs. */
export declare const TEST_GLOBS: readonly string[];
/** Every `*.test.*` source file under `root` (relative paths with '/'), sorted. */
export declare function testFilesOnDisk(root: string): string[];
/** Whether the test file at `path` (relative, '/'), with source `text`, belongs to the GPU tier. */
export declare function isGpuTest(path: string, text: string): boolean;
/** Whether the test file runs PyTorch or onnx in Python (and is no GPU test): the reference tier. */
export declare function isReferenceTest(path: string, text: string): boolean;
/** Whether the test file is a slow CPU proof (a `*.slow.test.ts` or `*.learning.test.ts` name, or the WASM build check) and neither a GPU nor a reference test. */
export declare function isSlowTest(path: string, text: string): boolean;
/** The test files of each tier under `root`. */
export declare function testTiers(root: string): { unit: string[]; slow: string[]; gpu: string[]; reference: string[] };
