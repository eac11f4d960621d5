/**
 * `framecheck boot MAP [--kernel START-END] [--flavor ostd|dragonos] [--json]`: simulates a kernel's
 * frame boot path on a memory map and accounts for every frame. Exit 0 when every invariant holds,
 * 1 on a violation, 2 on bad input (one line naming the problem).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseKernelRange, type KernelRange } from '../../boot/bootKernel.ts';
import type { BootResult } from '../../boot/bootResult.ts';
import { bootDragonos, type DragonosAccounting } from '../../boot/dragonosBoot.ts';
import { bootOstd, type OstdAccounting } from '../../boot/ostdBoot.ts';
import { parseMemoryMap } from '../../boot/parseMemoryMap.ts';
import { UsageError, validate } from '../args.ts';
import { EXIT, flag, type Command, type Io } from '../command.ts';

const Flags = z.object({
  json: z.boolean().optional(),
  flavor: z.enum(['ostd', 'dragonos'], { error: 'must be ostd or dragonos' }).optional(),
  kernel: z.string().optional(),
});

function readMap(file: string, io: Io): string {
  try {
    return readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${file}: cannot read the memory map (${code ?? (e instanceof Error ? e.message : String(e))})`,
    );
  }
}

function kernelOf(text: string | undefined): KernelRange | undefined {
  if (text === undefined) return undefined;
  const r = parseKernelRange(text);
  if (typeof r === 'string') throw new UsageError(`--kernel: ${r}`);
  return r;
}

function simulate(file: string, io: Io, flavor: 'ostd' | 'dragonos', kernel: KernelRange | undefined) {
  const parsed = parseMemoryMap(readMap(file, io));
  if (!parsed.ok) throw new UsageError(`${file}: ${parsed.error}`);
  const opts = kernel === undefined ? {} : { kernel };
  const r: BootResult<OstdAccounting | DragonosAccounting> =
    flavor === 'ostd' ? bootOstd(parsed.regions, opts) : bootDragonos(parsed.regions, opts);
  if (!r.ok) throw new UsageError(`${file}: ${r.error}`);
  return r.accounting;
}

/** The accounting as `key  value` lines, nested objects flattened with dots, then the verdict. */
export function formatAccounting(a: OstdAccounting | DragonosAccounting): string[] {
  const rows: [string, string][] = [];
  const walk = (prefix: string, value: unknown): void => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(prefix === '' ? k : `${prefix}.${k}`, v);
    } else if (!Array.isArray(value)) rows.push([prefix, String(value)]);
  };
  walk('', a);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  const verdict =
    a.violations.length === 0 ? 'every frame accounted for: no violation' : `${a.violations.length} violation(s):`;
  return [...lines, verdict, ...a.violations.map((v) => `  - ${v}`)];
}

export const boot: Command = {
  summary: 'simulate boot on a memory map (e820, /proc/iomem, multiboot2, JSON) and account every frame',
  usage:
    'usage: framecheck boot MAP [flags]\n  MAP  an e820 log, /proc/iomem, a multiboot2 memory map or a JSON map (docs/formats.md)',
  flags: {
    json: flag('boolean', 'one JSON object on stdout'),
    flavor: flag('string', 'ostd|dragonos', 'whose boot path to simulate (default ostd)'),
    kernel: flag('string', 'START-END', "the kernel image's physical range, kept out of the allocator"),
  },
  exits: { 0: 'every frame accounted for', 1: 'a violation', 2: 'bad input' },
  run(args, io) {
    const opts = validate(Flags, args.flags);
    const [file, ...extra] = args.positionals;
    if (file === undefined) throw new UsageError('boot needs a memory-map file (framecheck boot MAP)');
    if (extra.length > 0) throw new UsageError(`boot takes one memory-map file, got also ${JSON.stringify(extra[0])}`);
    const a = simulate(file, io, opts.flavor ?? 'ostd', kernelOf(opts.kernel));
    if (opts.json) io.out(JSON.stringify(a));
    else for (const line of formatAccounting(a)) io.out(line);
    return a.violations.length === 0 ? EXIT.ok : EXIT.violation;
  },
};
