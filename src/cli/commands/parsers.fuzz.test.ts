/**
 * Every parser of outside input, fuzzed through the CLI: valid files (a history, a JSON dump, a raw
 * dump, a memory map) mutated and truncated at random must never crash framecheck, hang, print a
 * stack trace or exit with anything but 0, 1 or 2; bad input is exactly one line on stderr.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REF_COUNT_UNIQUE, REF_COUNT_UNUSED } from '../../../spec/vocab.ts';
import { toJsonl } from '../../record/HistoryRecorder.ts';
import { syntheticHistory } from '../../record/syntheticHistory.ts';
import { jsonDump, rawSlot, slot } from '../../audit/testDumps.ts';
import { jsonSyntaxError } from '../../jsonSyntax.ts';
import { main } from '../main.ts';

const dir = mkdtempSync(join(tmpdir(), 'framecheck-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TOKENS = [
  '"0x1ffffffffffffffff"',
  '-1',
  'null',
  '1e400',
  '"drop"',
  '{}',
  '[]',
  'true',
  '"Busy"',
  '18446744073709551616',
  '"init"',
  '"0x3001"',
  '"ok"',
  '0.5',
];

/** One random edit of a text file. */
const textEdit = fc.oneof(
  fc.record({ k: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    k: fc.constant('char' as const),
    at: fc.nat(),
    c: fc.constantFrom('{', '}', '"', ',', ':', '0', 'x', '-', '\n', ' ', '9', 'f', '[', ']'),
  }),
  fc.record({ k: fc.constant('deleteLine' as const), at: fc.nat() }),
  fc.record({ k: fc.constant('dupLine' as const), at: fc.nat() }),
  fc.record({ k: fc.constant('swapLines' as const), at: fc.nat(), b: fc.nat() }),
  fc.record({ k: fc.constant('value' as const), at: fc.nat(), c: fc.constantFrom(...TOKENS) }),
);
type Edit = typeof textEdit extends fc.Arbitrary<infer T> ? T : never;

function applyEdit(text: string, e: Edit): string {
  const lines = text.split('\n');
  const i = e.at % Math.max(1, lines.length);
  switch (e.k) {
    case 'truncate':
      return text.slice(0, e.at % (text.length + 1));
    case 'char': {
      const at = e.at % (text.length + 1);
      return text.slice(0, at) + e.c + text.slice(at + 1);
    }
    case 'deleteLine':
      return lines.filter((_, j) => j !== i).join('\n');
    case 'dupLine':
      return [...lines.slice(0, i + 1), ...lines.slice(i)].join('\n');
    case 'swapLines': {
      const j = e.b % Math.max(1, lines.length);
      const out = [...lines];
      [out[i], out[j]] = [out[j]!, out[i]!];
      return out.join('\n');
    }
    case 'value': {
      const values = [...text.matchAll(/:\s*("[^"]*"|[-0-9.eE]+|true|false|null)/g)];
      const m = values[e.at % Math.max(1, values.length)];
      if (m === undefined) return text;
      const start = m.index + m[0].length - m[1]!.length;
      return text.slice(0, start) + e.c + text.slice(start + m[1]!.length);
    }
  }
}

/** One random edit of a binary file: truncate, flip a byte, or append bytes. */
const byteEdit = fc.oneof(
  fc.record({ k: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ k: fc.constant('flip' as const), at: fc.nat(), v: fc.nat(255) }),
  fc.record({ k: fc.constant('append' as const), n: fc.nat(130) }),
);

function applyByteEdit(b: Uint8Array, e: typeof byteEdit extends fc.Arbitrary<infer T> ? T : never): Uint8Array {
  if (e.k === 'truncate') return b.subarray(0, e.at % (b.length + 1));
  if (e.k === 'append') return Buffer.concat([b, new Uint8Array(e.n).fill(0xff)]);
  const out = Uint8Array.from(b);
  if (out.length > 0) out[e.at % out.length] = e.v;
  return out;
}

/**
 * Runs the CLI; asserts the contract for hostile input: exit 0, 1 or 2, and bad input as one line;
 * a JSON syntax error names a line:column inside `text` (the input given), where `text` stops
 * being JSON (for JSON Lines, on that line).
 */
async function survives(argv: string[], text?: string): Promise<void> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), progress: false, cwd: dir });
  expect([0, 1, 2]).toContain(code);
  if (code !== 2) return;
  expect(err).toHaveLength(1);
  expect(err[0]).not.toMatch(/internal error|\n|\s+at /);
  const at = /: line (\d+):(\d+): not valid JSON/.exec(err[0]!);
  if (/JSON (value|syntax)|not valid JSON|invalid JSON/.test(err[0]!)) expect(at).not.toBeNull();
  if (at === null || text === undefined) return;
  const lines = text.split('\n');
  const [line, column] = [Number(at[1]), Number(at[2])];
  expect(line).toBeLessThanOrEqual(lines.length);
  expect(column).toBeLessThanOrEqual(lines[line - 1]!.length + 1);
  const whole = argv.includes('validate') ? lines[line - 1]! : text;
  const offset = argv.includes('validate')
    ? column - 1
    : lines.slice(0, line - 1).join('\n').length + (line > 1 ? 1 : 0) + column - 1;
  expect(jsonSyntaxError(whole)?.offset).toBe(offset);
}

const HISTORY = toJsonl(syntheticHistory({ frames: 3, processes: 3, ops: 25, seed: 9 }), [
  { paddr: 0x5000, refCount: 2n },
]);
const DUMP = jsonDump(
  [slot(0x1000, 2, 'KernelMeta'), slot(0x2000, REF_COUNT_UNIQUE, '()', 3), slot(0x3000, REF_COUNT_UNUSED)],
  {
    handles: [
      { kind: 'frame', paddr: '0x1000' },
      { kind: 'pte', paddr: '0x1000' },
      { kind: 'segment', start: '0x4000', end: '0x6000' },
    ],
    free: [{ start: '0x8000', end: '0x10000' }],
  },
);
const MAP =
  'BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\nBIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved\nBIOS-e820: [mem 0x0000000000100000-0x00000000000fffff] usable\n';
const RAW = Buffer.concat([rawSlot(REF_COUNT_UNUSED), rawSlot(1n, 4n), rawSlot(REF_COUNT_UNIQUE, 4n, 2n), rawSlot(0n)]);
const RUNS = { numRuns: Number(process.env['FUZZ_RUNS'] ?? 60), seed: Number(process.env['FUZZ_SEED'] ?? 6) };

describe('hostile input: mutated and truncated files', () => {
  it('validate HISTORY.jsonl', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(textEdit, { minLength: 1, maxLength: 4 }), async (edits) => {
        const text = edits.reduce(applyEdit, HISTORY);
        writeFileSync(join(dir, 'h.jsonl'), text);
        await survives(['validate', 'h.jsonl'], text);
      }),
      RUNS,
    );
  });
  it('audit DUMP.json', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(textEdit, { minLength: 1, maxLength: 4 }), async (edits) => {
        const text = edits.reduce(applyEdit, DUMP);
        writeFileSync(join(dir, 'd.json'), text);
        await survives(['audit', 'd.json'], text);
      }),
      RUNS,
    );
  });
  it('audit RAW --format raw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(byteEdit, { minLength: 1, maxLength: 4 }), async (edits) => {
        writeFileSync(join(dir, 'r.bin'), edits.reduce(applyByteEdit, RAW as Uint8Array));
        await survives(['audit', 'r.bin', '--format', 'raw']);
      }),
      RUNS,
    );
  });
  it('audit --memory-map MAP', async () => {
    writeFileSync(join(dir, 'ok.json'), DUMP);
    await fc.assert(
      fc.asyncProperty(fc.array(textEdit, { minLength: 1, maxLength: 4 }), async (edits) => {
        writeFileSync(join(dir, 'm.txt'), edits.reduce(applyEdit, MAP));
        await survives(['audit', 'ok.json', '--memory-map', 'm.txt']);
      }),
      RUNS,
    );
  });
});
