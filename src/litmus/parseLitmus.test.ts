import { describe, expect, test } from 'vitest';
import { parseLitmus } from './parseLitmus.ts';
import { runLitmus } from './runLitmus.ts';

const wrap = (body: string, cond = 'exists (0:r0=1)') =>
  `C T\n{ x = 0; }\nP0 (atomic_int* x, int* y) {\n${body}\n}\n${cond}\n`;

describe('parseLitmus: outside the subset is an error naming the line', () => {
  test.each([
    [
      'an unknown function',
      wrap('  int r0 = atomic_load_acquire(x);'),
      /line 4: unknown function 'atomic_load_acquire'/,
    ],
    [
      'an unknown memory order',
      wrap('  int r0 = atomic_load_explicit(x, memory_order_weird);'),
      /line 4: unknown memory order/,
    ],
    [
      'a store order on a load',
      wrap('  int r0 = atomic_load_explicit(x, memory_order_release);'),
      /line 4: rel is not a valid order/,
    ],
    ['a loop', wrap('  int r0 = 0;\n  while (r0 == 0) { r0 = atomic_load(x); }'), /line 5: 'while': loops are outside/],
    [
      'an unknown register in the condition',
      wrap('  int r0 = atomic_load(x);', 'exists (0:r9=1)'),
      /line 6: unknown register 0:r9/,
    ],
    [
      'an unknown location in the condition',
      wrap('  int r0 = atomic_load(x);', 'exists (z=1)'),
      /line 6: unknown location 'z'/,
    ],
    [
      'an unknown thread in the condition',
      wrap('  int r0 = atomic_load(x);', 'exists (3:r0=1)'),
      /line 6: unknown thread 3/,
    ],
    ['a syntax error', wrap('  int r0 = atomic_load(x)'), /line 5: expected ';', found '}'/],
    [
      'an atomic call on a plain location',
      wrap('  int r0 = atomic_load(y);'),
      /line 4: 'atomic_load' on 'y', which is not atomic_int\*/,
    ],
    ['an unknown location', wrap('  int r0 = atomic_load(q);'), /line 4: unknown location 'q'/],
    ['another architecture', 'AArch64 T\n{ }\n', /line 1: expected the header 'C NAME'/],
  ])('%s', (_what, src, message) => {
    expect(() => parseLitmus(src)).toThrow(message);
  });
});

describe('parseLitmus: the subset', () => {
  test('branches, plain accesses, non-explicit forms and herd-style initializers', () => {
    const t = parseLitmus(
      [
        'C Branchy',
        '{ [x] = 3; y = 0; }',
        'P0 (atomic_int* x, volatile int* y) {',
        '  int r0 = atomic_load(x);',
        '  if (r0 == 3) { *y = r0 + 1; } else { *y = 9; }',
        '  int r1 = *y;',
        '}',
        'forall (0:r1=4 /\\ y=4)',
      ].join('\n'),
    );
    const r = runLitmus(t);
    expect(r.observation).toBe('Always');
    expect(r.executions).toBe(1);
    expect(r.holds).toBe(true);
  });
  test('a UTF-8 BOM and comments are accepted', () => {
    const t = parseLitmus(
      '\uFEFFC T\n(* a comment *)\n{ x = 0; }\nP0 (atomic_int* x) {\n  // one\n  int r0 = atomic_load(x);\n}\n~exists (0:r0=1)\n',
    );
    expect(runLitmus(t).holds).toBe(true);
  });
});
