/**
 * `framecheck audit FILE [--format json|raw] [--memory-map MAP] [--meta-type NAME=USAGE,…] [--json]`:
 * the invariants of a metadata-region dump ([docs/formats.md](../../../docs/formats.md),
 * "Metadata-region dumps"). Exit 0 clean, 1 violations, 2 bad input (one line).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { auditFile } from '../../audit/auditDump.ts';
import type { AuditSummary } from '../../audit/AuditReport.ts';
import { usableRanges } from '../../audit/leakRule.ts';
import { parseMetaTypeList } from '../../audit/metaTypes.ts';
import { hexAddr } from '../../validate/u64.ts';
import { UsageError, validate } from '../args.ts';
import { EXIT, flag, type Command, type Io } from '../command.ts';
import { SPEC_FLAG, specVersionSchema } from '../specFlag.ts';

const Flags = z.object({
  format: z.enum(['json', 'raw'], { error: 'must be json or raw' }).optional(),
  'memory-map': z.string().optional(),
  'meta-type': z.string().optional(),
  json: z.boolean().optional(),
  spec: specVersionSchema.optional(),
});

/** How many violations the text report lists (the JSON report keeps more). */
const SHOWN = 50;

/** Reads a whole input file, or fails with one line. */
export function readInput(file: string, io: Io, what: string): string {
  try {
    return readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/** The audit's text report. */
export function formatAudit(s: AuditSummary): string[] {
  const head = `${s.file}: ${s.format} dump, ${s.slots} slots (${s.inUse} in use), maxPaddr ${s.maxPaddr}${s.spec === 'head' ? ', vostd HEAD contracts' : ''} — ${s.verdict === 'clean' ? 'clean' : `${s.violations} violation(s)`} in ${s.seconds.toFixed(2)} s`;
  const rows = s.first
    .slice(0, SHOWN)
    .map((v) => `  frame ${hexAddr(v.frame)}  ${v.invariant}: expected ${v.expected}; actual ${v.actual}`);
  const more =
    s.violations > SHOWN ? [`  … and ${s.violations - SHOWN} more (--json lists up to ${s.first.length})`] : [];
  const by = Object.entries(s.byInvariant).map(([k, n]) => `${k} ${n}`);
  return [
    head,
    ...rows,
    ...more,
    ...(by.length > 0 ? [`by invariant: ${by.join(', ')}`] : []),
    ...s.notes.map((n) => `note: ${n}`),
  ];
}

function usableOf(map: string | undefined, io: Io) {
  if (map === undefined) return undefined;
  const u = usableRanges(readInput(map, io, 'memory map'));
  if ('error' in u) throw new UsageError(`${map}: ${u.error}`);
  return u;
}

export const audit: Command = {
  summary: 'audit the invariants of a metadata-region dump (JSON or raw 64-byte slots)',
  usage:
    'usage: framecheck audit FILE [flags]\n' +
    '  FILE  a dump (docs/formats.md, Metadata-region dumps): JSON "framecheck/meta-region@1", or the raw region (64 bytes per slot, streamed)',
  flags: {
    format: flag(
      'string',
      'json|raw',
      'the dump format (default: json when FILE is named .json or opens with {, raw otherwise)',
    ),
    'memory-map': flag(
      'string',
      'MAP',
      'e820 / /proc/iomem / multiboot2 / JSON map: every usable frame must be free or in use',
    ),
    'meta-type': flag(
      'string',
      'NAME=USAGE,…',
      'the usage of kernel metadata types (Frame, PageTable, Meta, Kernel, Reserved, MMIO); unknown types are Frame',
    ),
    spec: SPEC_FLAG,
    json: flag('boolean', 'one JSON object on stdout'),
  },
  exits: { 0: 'clean', 1: 'violations', 2: 'bad input' },
  run(args, io) {
    const f = validate(Flags, args.flags);
    const [file, ...extra] = args.positionals;
    if (file === undefined) throw new UsageError('audit needs a dump file (framecheck audit FILE)');
    if (extra.length > 0) throw new UsageError(`audit takes one dump file, got also ${JSON.stringify(extra[0])}`);
    const usable = usableOf(f['memory-map'], io);
    const metaTypes = f['meta-type'] === undefined ? undefined : parseMetaTypeList(f['meta-type']);
    if (metaTypes !== undefined && 'error' in metaTypes) throw new UsageError(`--meta-type: ${metaTypes.error}`);
    let r: ReturnType<typeof auditFile>;
    try {
      r = auditFile(file, resolve(io.cwd, file), {
        ...(f.format !== undefined && { format: f.format }),
        ...(usable !== undefined && { usable }),
        ...(metaTypes !== undefined && { metaTypes }),
        ...(f.spec !== undefined && { spec: f.spec }),
      });
    } catch (e) {
      throw new UsageError(`${file}: cannot read the dump (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    if ('error' in r) throw new UsageError(`${file}: ${r.error}`);
    if (f.json === true) io.out(JSON.stringify(r));
    else for (const line of formatAudit(r)) io.out(line);
    return r.verdict === 'clean' ? EXIT.ok : EXIT.violation;
  },
};
