/**
 * The cost of `validate` against history length and frame count, on histories of the real frame
 * layer recorded under simulated concurrency (8 processes; every operation of the current protocol),
 * and of `audit` on a raw dump of a 24 GiB machine's region.
 *
 * Baseline: `JSON.parse` of every line of the same history — the floor of reading it at all.
 * Measured: the whole validation (zod parsing, the per-frame split, the linearizability search), as
 * µs per event and as the ratio against the baseline; the search's configurations per event show
 * that the cost stays linear in the history and does not grow with the number of frames.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REF_COUNT_UNUSED } from '../spec/vocab.ts';
import { auditRaw } from '../src/audit/auditDump.ts';
import { rawSlot } from '../src/audit/testDumps.ts';
import { toJsonl } from '../src/record/HistoryRecorder.ts';
import { syntheticHistory } from '../src/record/syntheticHistory.ts';
import { concurrentFromInUse } from '../src/validate/testHistories.ts';
import { validateText } from '../src/validate/validateHistory.ts';
import { measure } from './harness.ts';

const MAX_PADDR = 0x8000_0000;
const SIZES: readonly (readonly [events: number, frames: number])[] = [
  [1_000, 10],
  [10_000, 10],
  [10_000, 100],
  [10_000, 1_000],
  [100_000, 10],
  [100_000, 100],
  [100_000, 1_000],
];

function row(events: number, frames: number): string {
  const text = toJsonl(syntheticHistory({ frames, processes: 8, ops: events / 2, seed: events + frames }));
  const lines = text.split('\n').filter((l) => l !== '');
  const once = { n: 1, rounds: events >= 100_000 ? 3 : 5 };
  const base = measure('parse', () => void lines.forEach((l) => JSON.parse(l)), once);
  let configs = 0;
  const full = measure(
    'validate',
    () => {
      const r = validateText(text, { maxPaddr: MAX_PADDR });
      if ('error' in r || r.verdict !== 'linearizable') throw new Error('the benchmark history must be linearizable');
      configs = r.configs;
    },
    once,
  );
  const us = (full.nsPerOp / 1e3 / lines.length).toFixed(2);
  return `${String(lines.length).padStart(9)} ${String(frames).padStart(7)} ${(full.nsPerOp / 1e6).toFixed(0).padStart(9)} ms ${us.padStart(8)} µs/event ${(full.nsPerOp / base.nsPerOp).toFixed(1).padStart(7)}× ${(configs / lines.length).toFixed(2).padStart(8)}`;
}

/**
 * One claim, then `n` concurrent `from_in_use` of the frame, half of them `Busy` (not linearizable):
 * identical operations the search and the minimization treat as interchangeable. Without that, the
 * search visits about 2^(n/2) configurations and minimization repeats it hundreds of times; the row
 * shows the whole validation (search, explanation, minimization) against parsing the same lines.
 */
function concurrentRow(n: number): string {
  const text = concurrentFromInUse(n);
  const lines = text.split('\n').filter((l) => l !== '');
  const once = { n: 1, rounds: 3 };
  const base = measure('parse', () => void lines.forEach((l) => JSON.parse(l)), once);
  let stats = '';
  const full = measure(
    'validate',
    () => {
      const r = validateText(text, { maxPaddr: MAX_PADDR });
      if ('error' in r || r.verdict !== 'not-linearizable') throw new Error('the benchmark history must fail');
      stats = `${r.configs} configurations, ${r.violation!.validations} minimization runs, ${r.violation!.subHistory.length}-line sub-history`;
    },
    once,
  );
  return `${String(n).padStart(3)} processes (${lines.length} lines): ${(full.nsPerOp / 1e6).toFixed(0).padStart(6)} ms, ${(full.nsPerOp / base.nsPerOp).toFixed(0)}× parse; ${stats}`;
}

/** A raw dump of 6.5 M slots (416 MB, one slot in seven in use), audited from the file. */
function rawAuditRow(): string {
  const dir = mkdtempSync(join(tmpdir(), 'framecheck-bench-'));
  const file = join(dir, 'region.bin');
  const slots = 6_500_000;
  const chunk = Buffer.concat(
    Array.from({ length: 16_384 }, (_, k) =>
      k % 7 === 0 ? rawSlot(1n + BigInt(k % 5), 0xffff_8000_0000_1000n) : rawSlot(REF_COUNT_UNUSED),
    ),
  );
  const fd = openSync(file, 'w');
  for (let s = 0; s < slots; s += 16_384) writeSync(fd, chunk, 0, Math.min(16_384, slots - s) * 64);
  closeSync(fd);
  try {
    const m = measure('audit', () => void auditRaw(file, file, slots * 64, {}), { n: 1, rounds: 3 });
    return `audit of a raw dump, ${slots} slots (${((slots * 64) / 1e6).toFixed(0)} MB): ${(m.nsPerOp / 1e6).toFixed(0)} ms, ${(m.nsPerOp / slots) | 0} ns/slot`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the validation benchmark and returns the printed lines. */
export async function validateBench(): Promise<string[]> {
  return [
    '## validate: cost against history length and frame count (8 processes, median of rounds)',
    `${'events'.padStart(9)} ${'frames'.padStart(7)} ${'time'.padStart(12)} ${'per event'.padStart(17)} ${'vs parse'.padStart(8)} ${'configs/event'.padStart(13)}`,
    ...SIZES.map(([e, f]) => row(e, f)),
    '',
    '## validate: n concurrent from_in_use of one frame after one claim, half Busy (identical operations)',
    ...[30, 40].map(concurrentRow),
    '',
    rawAuditRow(),
  ];
}
