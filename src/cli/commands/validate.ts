/**
 * `framecheck validate HISTORY.jsonl [--max-paddr A] [--variant current|legacy] [--json]`: is the
 * concurrent history (DESIGN §5.2) linearizable with respect to the sequential spec? Exit 0
 * linearizable, 1 not (the first unexplained event, its clause and a minimal failing sub-history),
 * 2 bad input (one line naming the line and field), 3 the search budget ran out.
 */
import { z } from 'zod';
import { MAX_MODEL_PADDR, DEFAULT_MAX_PADDR } from '../../../spec/vocab.ts';
import { parsePaddr } from '../../address.ts';
import { hexAddr } from '../../validate/u64.ts';
import { validateText, type ValidateResult } from '../../validate/validateHistory.ts';
import { UsageError, validate as check } from '../args.ts';
import { EXIT, type Command } from '../command.ts';
import { readInput } from './audit.ts';

const Flags = z.object({
  'max-paddr': z.string().optional(),
  variant: z.enum(['current', 'legacy'], { error: 'must be current or legacy' }).optional(),
  json: z.boolean().optional(),
});

function maxPaddrOf(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MAX_PADDR;
  const v = parsePaddr(text);
  if (typeof v !== 'number' || v <= 0 || v > MAX_MODEL_PADDR) {
    throw new UsageError(`--max-paddr: ${typeof v === 'object' ? v.reason : `${text} is outside 1..=2^52`}`);
  }
  return v;
}

/** The validation's text report. */
export function formatValidation(r: ValidateResult): string[] {
  const stats = `${r.events} events, ${r.ops} operations, ${r.frames} frames (${r.configs} configurations searched) in ${r.seconds.toFixed(2)} s`;
  const v = r.violation;
  if (v === undefined) return [`linearizable: ${stats}`];
  const where = v.frame === undefined ? 'judged on its own (no frame state)' : `frame ${hexAddr(v.frame)}`;
  return [
    `${r.verdict === 'incomplete' ? 'incomplete' : 'not linearizable'}: line ${v.line} — ${v.clause}`,
    `  event: ${v.event}`,
    `  why:   ${v.reason}`,
    `  where: ${where}; ${v.failingFrames} failing event(s) in all`,
    `  ${v.minimal ? 'minimal' : 'reduced'} failing sub-history (${v.subHistory.length} lines):`,
    ...v.subHistory.map((l) => `    ${String(l.line).padStart(6)}  ${l.text}`),
    `${stats}`,
  ];
}

export const validate: Command = {
  summary: 'is a concurrent history (JSON Lines) linearizable with respect to the spec?',
  usage:
    'framecheck validate HISTORY.jsonl [--max-paddr A] [--variant current|legacy] [--json]\n' +
    "  HISTORY.jsonl  Jepsen-style events (DESIGN §5.2); --max-paddr defaults to vostd's MAX_PADDR (2 GiB)\n" +
    'exit 0 linearizable, 1 not, 2 bad input, 3 search budget exhausted',
  flags: { 'max-paddr': 'string', variant: 'string', json: 'boolean' },
  run(args, io) {
    const f = check(Flags, args.flags);
    const [file, ...extra] = args.positionals;
    if (file === undefined) throw new UsageError('validate needs a history file (framecheck validate HISTORY.jsonl)');
    if (extra.length > 0) throw new UsageError(`validate takes one history file, got also ${JSON.stringify(extra[0])}`);
    const maxPaddr = maxPaddrOf(f['max-paddr']);
    const r = validateText(readInput(file, io, 'history'), { maxPaddr, protocol: f.variant ?? 'current' });
    if ('error' in r) throw new UsageError(`${file}: ${r.error}`);
    if (f.json === true) io.out(JSON.stringify(r));
    else for (const line of formatValidation(r)) io.out(line);
    return r.verdict === 'linearizable' ? EXIT.ok : r.verdict === 'incomplete' ? EXIT.incomplete : EXIT.violation;
  },
};
