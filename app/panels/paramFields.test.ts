import { describe, expect, it } from 'vitest';
import { getNodeSpec } from '../../engine/graph/nodes';
import { fieldsFor, formatValue, parseInput } from './paramFields';

const fields = (type: string) => {
  const spec = getNodeSpec(type)!;
  return fieldsFor(spec.params, spec.params.parse({}) as Record<string, unknown>);
};

describe('inspector fields from param schemas', () => {
  it('Dense: integer units, enum activation, checkbox, JSON initializers', () => {
    expect(fields('Dense')).toEqual([
      { key: 'units', control: { kind: 'number', integer: true, min: 1 }, optional: false },
      { key: 'activation', control: { kind: 'enum', options: expect.arrayContaining(['linear', 'relu', 'tanh']) }, optional: false },
      { key: 'useBias', control: { kind: 'boolean' }, optional: false },
      { key: 'kernelInit', control: { kind: 'json' }, optional: false },
      { key: 'biasInit', control: { kind: 'json' }, optional: false },
    ]);
  });

  it('Input: text field, JSON shape, dtype select; pooling strides are optional JSON', () => {
    expect(fields('Input').map((f) => [f.key, f.control.kind])).toEqual([
      ['field', 'text'],
      ['shape', 'json'],
      ['dtype', 'enum'],
    ]);
    expect(fields('MaxPool2D').find((f) => f.key === 'strides')).toEqual({ key: 'strides', control: { kind: 'json' }, optional: true });
    expect(fields('Dropout')[0]).toEqual({ key: 'rate', control: { kind: 'number', integer: false, min: 0, max: 1 }, optional: false });
  });

  it('falls back to the value type without a schema', () => {
    expect(fieldsFor(undefined, { a: 1, b: true, c: 's', d: [1] }).map((f) => f.control.kind)).toEqual(['number', 'boolean', 'text', 'json']);
  });

  it('parses what a person types', () => {
    const int = { kind: 'number', integer: true } as const;
    expect(parseInput(int, ' 64 ', false)).toEqual({ ok: true, value: 64 });
    expect(parseInput(int, '6.5', false)).toEqual({ ok: false, message: 'Enter a whole number.' });
    expect(parseInput(int, 'abc', false)).toEqual({ ok: false, message: 'Enter a number.' });
    expect(parseInput(int, '', false)).toEqual({ ok: false, message: 'A value is required.' });
    expect(parseInput({ kind: 'json' }, '', true)).toEqual({ ok: true, value: undefined });
    expect(parseInput({ kind: 'json' }, '[28, 28, 1]', false)).toEqual({ ok: true, value: [28, 28, 1] });
    expect(parseInput({ kind: 'json' }, '[28,', false).ok).toBe(false);
    expect(formatValue({ kind: 'json' }, { kind: 'normal', mean: 0, std: 1 })).toBe('{"kind": "normal", "mean": 0, "std": 1}');
    expect(formatValue({ kind: 'json' }, [28, 28, 1])).toBe('[28, 28, 1]');
    expect(JSON.parse(formatValue({ kind: 'json' }, { a: ['x, y', { b: null }] }))).toEqual({ a: ['x, y', { b: null }] });
  });
});
