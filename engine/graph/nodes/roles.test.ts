/** What is type-specific about losses and metrics lives in the catalog (role, classifier, sumsOverBatch), not in checks of node types. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_SPECS } from './index';

const ROOT = new URL('../../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'fixtures' ? [] : sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('catalog roles', () => {
  it('every loss and metric has its role, and the classifier ones say so', () => {
    const byRole = (role: string) =>
      Object.values(NODE_SPECS)
        .filter((s) => s.role === role)
        .map((s) => s.type)
        .sort();
    expect(byRole('metric')).toContain('Accuracy');
    expect(byRole('loss')).toEqual(expect.arrayContaining(['SoftmaxCrossEntropy', 'BinaryCrossEntropy', 'MSELoss']));
    for (const s of Object.values(NODE_SPECS)) {
      if (s.classifier) expect(['loss', 'metric'], s.type).toContain(s.role);
      if (s.classifier)
        expect(
          s.inputs.map((p) => p.name),
          s.type,
        ).toContain('pred');
    }
    expect(NODE_SPECS.MSELoss!.classifier).toBeFalsy();
  });

  it('no source file compares a node type with a loss or metric type name (use the catalog instead)', () => {
    const names = Object.values(NODE_SPECS)
      .filter((s) => s.role === 'loss' || s.role === 'metric')
      .map((s) => s.type);
    const check = new RegExp(`type\\s*[!=]==?\\s*['"](${names.join('|')})['"]`);
    const offenders = ['engine', 'app', 'workers', 'cli'].flatMap((d) => sources(join(ROOT, d))).filter((f) => check.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => f.slice(ROOT.length))).toEqual([]);
  });
});
