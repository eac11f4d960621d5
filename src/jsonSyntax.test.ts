import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonSyntaxError, parseJson } from './jsonSyntax.ts';

describe('JSON syntax errors', () => {
  it('agrees with JSON.parse on what is JSON, on mutated JSON texts', () => {
    const text = fc
      .tuple(fc.jsonValue(), fc.nat(), fc.constantFrom('{', '}', '"', ',', ':', '0', '\n', ']', 'x', '\\', ''))
      .map(([v, at, c]) => {
        const s = JSON.stringify(v, null, 1);
        const k = at % (s.length + 1);
        return s.slice(0, k) + c + s.slice(k + 1);
      });
    fc.assert(
      fc.property(text, (t) => {
        let ok = true;
        try {
          JSON.parse(t);
        } catch {
          ok = false;
        }
        expect(jsonSyntaxError(t) === undefined).toBe(ok);
      }),
      { numRuns: 2000, seed: 3 },
    );
  });
  it.each([
    ['{\n "a": 1,\n "b": }', 'line 3:7: not valid JSON ("}" where a value belongs)'],
    ['{\n "a": 1\n', "line 3:1: not valid JSON (the end of the input where ',' or '}' belongs)"],
    ['[1,\n2]\n]', 'line 3:1: not valid JSON ("]" after the JSON value)'],
    ['{"a": "x\ny"}', 'line 1:9: not valid JSON ("\\n" inside a string)'],
  ])('%j: one line with the line and column', (text, error) => {
    expect(parseJson(text)).toMatchObject({ error });
  });
  it('accepts a UTF-8 byte-order mark', () => {
    expect(parseJson('\uFEFF{"a": 1}')).toEqual({ value: { a: 1 } });
  });
});
