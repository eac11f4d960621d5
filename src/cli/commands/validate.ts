/**
 * `framecheck validate HISTORY.jsonl [--max-paddr A] [--variant current|legacy] [--time-limit S] [--json]`:
 * is the concurrent history (docs/formats.md, "Histories") linearizable with respect to the
 * sequential spec? Exit 0 linearizable, 1 not (the first unexplained event, its clause and a minimal
 * failing sub-history), 2 bad input (one line naming the line and field; an empty history), 3 the
 * search budget ran out, the time limit was reached or Ctrl-C stopped it (with what was decided).
 */
import { z } from 'zod';
import { MAX_MODEL_PADDR, DEFAULT_MAX_PADDR } from '../../../spec/vocab.ts';
import { parsePaddr } from '../../address.ts';
import { parseHistory } from '../../validate/parseHistory.ts';
import { hexAddr } from '../../validate/u64.ts';
import {
  validateHistoryAsync,
  type Decided,
  type ValidateProgress,
  type ValidateResult,
} from '../../validate/validateHistory.ts';
import { intFlag, UsageError, validate as check } from '../args.ts';
import { EXIT, flag, type Command, type Io } from '../command.ts';
import { interrupted } from '../interrupt.ts';
import { readInput } from './audit.ts';

const Flags = z.object({
  'max-paddr': z.string().optional(),
  variant: z.enum(['current', 'legacy'], { error: 'must be current or legacy' }).optional(),
  'time-limit': intFlag(1, 86_400).optional(),
  json: z.boolean().optional(),
  progress: z.boolean().optional(),
});

function maxPaddrOf(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MAX_PADDR;
  const v = parsePaddr(text);
  if (typeof v !== 'number' || v <= 0 || v > MAX_MODEL_PADDR) {
    throw new UsageError(`--max-paddr: ${typeof v === 'object' ? v.reason : `${text} is outside 1..=2^46`}`);
  }
  return v;
}

const frames = (xs: readonly number[]): string => (xs.length === 0 ? '(none)' : xs.map(hexAddr).join(', '));

/** What a stopped validation had decided, as text. */
function formatStop(s: Decided, total: number): string[] {
  const why = s.reason === 'time-limit' ? '--time-limit reached' : 'interrupted';
  const decided = s.linearizable.length + s.failing.length;
  return [
    `incomplete: ${why} during the ${s.during}; ${decided} of ${total} frame sub-histories decided`,
    `  linearizable: ${frames(s.linearizable)}`,
    `  failing:      ${s.failing.length === 0 ? '(none)' : s.failing.map((f) => `${hexAddr(f.frame)} (line ${f.line})`).join(', ')}`,
    `  undecided:    ${frames(s.undecided)}`,
  ];
}

/** The validation's text report. */
export function formatValidation(r: ValidateResult): string[] {
  const stats = `${r.events} events, ${r.ops} operations, ${r.frames} frames (${r.configs} configurations searched) in ${r.seconds.toFixed(2)} s`;
  const stop = r.stopped === undefined ? [] : formatStop(r.stopped, r.frames);
  const v = r.violation;
  if (v === undefined) return r.stopped === undefined ? [`linearizable: ${stats}`] : [...stop, stats];
  const where = v.frame === undefined ? 'judged on its own (no frame state)' : `frame ${hexAddr(v.frame)}`;
  const head =
    r.stopped !== undefined
      ? `first violation (not minimized: stopped): line ${v.line} — ${v.clause}`
      : `${r.verdict === 'incomplete' ? 'incomplete' : 'not linearizable'}: line ${v.line} — ${v.clause}`;
  return [
    ...stop,
    head,
    `  event: ${v.event}`,
    `  why:   ${v.reason}`,
    `  where: ${where}; ${v.failingFrames} failing event(s) in all`,
    `  ${v.minimal ? 'minimal' : 'reduced'} failing sub-history (${v.subHistory.length} lines):`,
    ...v.subHistory.map((l) => `    ${String(l.line).padStart(6)}  ${l.text}`),
    `${stats}`,
  ];
}

/** A progress line. */
function progressLine(p: Readonly<ValidateProgress> & { seconds: number }): string {
  const at =
    p.during === 'search'
      ? `frame ${p.framesDone}/${p.frames}`
      : `minimizing, ${p.validations} candidate sub-histories validated`;
  return `validate: ${at}, ${p.configs} configurations, ${p.seconds.toFixed(1)} s`;
}

async function runValidate(file: string, f: z.infer<typeof Flags>, io: Io): Promise<number> {
  const maxPaddr = maxPaddrOf(f['max-paddr']);
  const h = parseHistory(readInput(file, io, 'history'), { maxPaddr });
  if ('error' in h) throw new UsageError(`${file}: ${h.error}`);
  if (h.events === 0) throw new UsageError(`${file}: empty history: no events`);
  const o = { maxPaddr, protocol: f.variant ?? 'current' } as const;
  // Ctrl-C sets the shared flag from the process's main thread (entry.ts); this thread polls it
  const r = await validateHistoryAsync(h, o, {
    interrupted,
    ...(f['time-limit'] !== undefined && { timeLimitMs: f['time-limit'] * 1000 }),
    ...(io.progress && { onProgress: (p) => io.err(progressLine(p)) }),
  });
  if (f.json === true) io.out(JSON.stringify(r));
  else for (const line of formatValidation(r)) io.out(line);
  return r.verdict === 'linearizable' ? EXIT.ok : r.verdict === 'incomplete' ? EXIT.incomplete : EXIT.violation;
}

export const validate: Command = {
  summary: 'is a concurrent history (JSON Lines) linearizable with respect to the spec?',
  usage: [
    'usage: framecheck validate HISTORY.jsonl [flags]',
    '  HISTORY.jsonl  Jepsen-style events, one JSON object a line (docs/formats.md, "Histories")',
  ].join('\n'),
  flags: {
    'max-paddr': flag('string', 'A', "the frames' address bound (default vostd's MAX_PADDR, 2 GiB; at most 2^46)"),
    variant: flag('string', 'current|legacy', 'the protocol: current (u64 sentinels, the default) or legacy (u32)'),
    'time-limit': flag('string', 'SECONDS', 'stop after this long with what was decided so far (exit 3)'),
    json: flag('boolean', 'the result as one JSON object on stdout'),
  },
  exits: {
    0: 'linearizable',
    1: 'not linearizable (the first unexplained event, its clause and a minimal failing sub-history)',
    2: 'bad input (an empty history too)',
    3: 'incomplete: the search budget, --time-limit or Ctrl-C stopped it (with what was decided)',
  },
  interruptible: true,
  run(args, io) {
    const f = check(Flags, args.flags);
    const [file, ...extra] = args.positionals;
    if (file === undefined) throw new UsageError('validate needs a history file (framecheck validate HISTORY.jsonl)');
    if (extra.length > 0) throw new UsageError(`validate takes one history file, got also ${JSON.stringify(extra[0])}`);
    return runValidate(file, f, io);
  },
};
