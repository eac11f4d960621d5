/**
 * `framecheck conform --impl MODULE [--runs N] [--seed S] [--instances LIST|FILE] [--time-limit SECONDS]
 * [--out DIR] [--json]`: runs the contract suite, the model-based tests and the explorer on an
 * implementation of the conformance interface, and reports per job. MODULE is a path to a JavaScript
 * module exporting `createImplementation`, or a built-in: `framecheck:current`, `framecheck:legacy`,
 * `framecheck:mutant/NAME`. An explorer counterexample is minimized and written as ITF to DIR, for
 * `framecheck replay FILE --impl MODULE`. Exit 0 conforms, 1 fails, 2 bad input (a module that does not
 * load, has the wrong shape or breaks an interface rule), 3 incomplete (the time limit, with what was done).
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { builtinModule } from '../../conform/builtin.ts';
import {
  asModule,
  conform as runConform,
  conformDetails,
  InterfaceBreach,
  type ConformReport,
} from '../../conform/conform.ts';
import { report } from '../reporter.ts';
import type { Subject } from '../../check/world.ts';
import { subjectOf, type InstanceSpec } from '../../conform/exploreJob.ts';
import { Guard } from '../../conform/guard.ts';
import type { ImplementationModule } from '../../conform/Implementation.ts';
import { intFlag, splitArgs, UsageError, validate, type FlagKind } from '../args.ts';
import { flag, type Command, type Io } from '../command.ts';
import { SPEC_FLAG, specVersionSchema, type SpecVersion } from '../specFlag.ts';
import { DEFAULT_INSTANCES } from '../../conform/exploreJob.ts';
import { CHECK_FLAGS, instanceFromFlags, InstanceFlagsSchema, writeAtomic } from './check.ts';

const Flags = z.object({
  impl: z.string({ error: 'is required: a module path or framecheck:current|legacy|mutant/NAME' }),
  runs: intFlag(1, 100_000).optional(),
  seed: intFlag(0, 2 ** 31 - 1).optional(),
  instances: z.string().optional(),
  'time-limit': intFlag(1, 86_400).optional(),
  out: z.string().optional(),
  json: z.boolean().optional(),
  'memory-model': z.enum(['sc', 'rc11'], 'must be sc or rc11').optional(),
  spec: specVersionSchema.optional(),
});

/** How long a module may take to load (its top-level code and awaits) before it is refused. */
export const LOAD_TIMEOUT_MS = 30_000;

/**
 * Imports `url` with `process.exit` intercepted; a top-level await that never settles is refused:
 * at once when nothing else is left to run (`beforeExit`), else after `timeoutMs`. An exception the
 * module's own callbacks throw while it loads (a timer calling `process.exit`, which the guard turns
 * into a breach) fails the load instead of ending the process.
 */
async function importModule(url: string, spec: string, timeoutMs: number): Promise<unknown> {
  const guard = new Guard();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onIdle: (() => void) | undefined;
  let onUncaught: ((e: unknown) => void) | undefined;
  const stuck = new Promise<never>((_, reject) => {
    const never = (why: string) =>
      reject(new UsageError(`--impl ${spec}: the module's top-level await never settles (${why})`));
    onIdle = () => never('nothing is left to run');
    process.once('beforeExit', onIdle);
    timer = setTimeout(() => never(`still loading after ${timeoutMs / 1000} s`), timeoutMs);
    timer.unref();
    onUncaught = reject;
    process.on('uncaughtException', onUncaught);
  });
  try {
    return await guard.interceptAsync('while loading', () => Promise.race([import(url), stuck]));
  } catch (e) {
    if (guard.breach !== undefined) throw new UsageError(`--impl ${spec}: ${guard.breach}`);
    if (e instanceof UsageError) throw e;
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new UsageError(`--impl ${spec}: cannot load the module (${msg})`);
  } finally {
    clearTimeout(timer);
    if (onIdle !== undefined) process.off('beforeExit', onIdle);
    if (onUncaught !== undefined) process.off('uncaughtException', onUncaught);
  }
}

/** Loads the implementation module `spec` (a path relative to `io.cwd`, or a built-in name). */
export async function loadImplementation(
  spec: string,
  io: Io,
  timeoutMs: number = LOAD_TIMEOUT_MS,
): Promise<ImplementationModule> {
  if (spec.startsWith('framecheck:')) {
    const b = builtinModule(spec);
    if ('error' in b) throw new UsageError(`--impl: ${b.error}`);
    return b;
  }
  const ns = await importModule(pathToFileURL(resolve(io.cwd, spec)).href, spec, timeoutMs);
  const m = asModule(ns, spec);
  if ('error' in m) throw new UsageError(`--impl ${spec}: ${m.error}`);
  return m;
}

/** Runs `f`; a breach of the interface rules is bad input naming the module. */
export function breachIsUsage<T>(spec: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InterfaceBreach) throw new UsageError(`--impl ${spec}: ${e.message}`);
    throw e;
  }
}

/** The flags of one instance: check's, but for the mutant (evaluated late: check.ts imports this file). */
const instanceFlags = (): Record<string, FlagKind> => {
  const { mutant: _, ...rest } = InstanceFlagsSchema.shape;
  return Object.fromEntries(Object.keys(rest).map((k) => [k, CHECK_FLAGS[k as keyof typeof CHECK_FLAGS]]));
};

/**
 * One instance's arguments: check's flags (`--frames 2 --ops a,b`), where the dashes may be left out
 * (`frames=2 ops=a,b`, which a flag value can carry); double or single quotes group.
 */
function tokens(line: string): string[] {
  const raw = [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
  const out: string[] = [];
  for (let k = 0; k < raw.length; k++) {
    const t = raw[k]!;
    const flag = t.startsWith('--') ? t : `--${t}`;
    out.push(flag);
    const name = flag.slice(2);
    if (!name.includes('=') && instanceFlags()[name] === 'string' && k + 1 < raw.length) out.push(raw[++k]!);
  }
  return out;
}

/**
 * The instances `--instances` names: a file with one instance per line, or instances separated by
 * `|`; each as `check`'s flags (`--frames 2 --threads 2 --depth 2 --ops from_unused,drop`), the dashes
 * optional (`frames=2 threads=2 depth=2 ops=from_unused,drop`).
 */
export function parseInstances(
  value: string,
  protocol: 'current' | 'legacy',
  cwd: string,
  spec?: SpecVersion,
): InstanceSpec[] {
  const file = resolve(cwd, value);
  let lines: string[];
  if (existsSync(file) && statSync(file).isFile()) {
    try {
      lines = readFileSync(file, 'utf8')
        .replace(/^\uFEFF/, '')
        .split('\n');
    } catch {
      throw new UsageError(`--instances: cannot read ${value}`);
    }
  } else lines = value.split('|');
  const specs = lines.map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (specs.length === 0) throw new UsageError('--instances: no instance given');
  return specs.map((text, k) => {
    const where = `--instances: instance ${k + 1} (${text})`;
    try {
      const raw = splitArgs(tokens(text), instanceFlags());
      if (raw.positionals.length > 0) throw new UsageError(`unexpected argument '${raw.positionals[0]}'`);
      const f = validate(InstanceFlagsSchema, raw.flags);
      if (f.variant !== undefined && f.variant !== protocol)
        throw new UsageError(`--variant ${f.variant}, but the module implements the ${protocol} protocol`);
      return {
        text,
        instance: instanceFromFlags({
          ...f,
          ...(f.spec === undefined && spec !== undefined && { spec }),
          'ref-count-max': f['ref-count-max'] ?? 2,
          variant: protocol,
        }),
      };
    } catch (e) {
      if (e instanceof UsageError) throw new UsageError(`${where}: ${e.message}`);
      throw e;
    }
  });
}

/** The conformance report as text. */
export function formatConform(r: ConformReport): string[] {
  const out = [`conform ${r.implementation} (${r.protocol} protocol): ${r.verdict}`];
  for (const j of r.jobs) {
    out.push(`  ${j.job.padEnd(9)} ${j.verdict.padEnd(10)} ${j.summary} (${j.seconds.toFixed(2)} s)`);
    if (j.verdict !== 'pass') for (const d of j.details) out.push(`      ${d}`);
  }
  return out;
}

/** Writes the explorer's counterexample, if any, to `dir`; returns the file. */
function writeCounterexample(r: ConformReport, spec: string, dir: string): string | undefined {
  const t = r.jobs.find((j) => j.counterexample !== undefined)?.counterexample;
  if (t === undefined) return undefined;
  try {
    mkdirSync(dir, { recursive: true });
  } catch {
    throw new UsageError(`--out: cannot write ${dir}`);
  }
  const base = `${r.implementation}-${t['#meta'].property}`.replace(/[^A-Za-z0-9_.-]/g, '_');
  const file = join(dir, `${base}.itf.json`);
  const trace = { ...t, '#meta': { ...t['#meta'], implementation: spec } };
  writeAtomic(file, `${JSON.stringify(trace, null, 1)}\n`);
  return file;
}

export const conform: Command = {
  summary: 'run the contract suite, model-based tests and explorer on a third-party implementation',
  usage: 'usage: framecheck conform --impl MODULE [flags]',
  flags: {
    impl: flag(
      'string',
      'MODULE',
      'a module exporting createImplementation(options) (docs/conform.md), or framecheck:current|legacy|mutant/NAME',
    ),
    runs: flag('string', 'N', 'model-based runs (default 200)'),
    seed: flag('string', 'S', 'the seed of the model-based runs (default 1)'),
    instances: flag(
      'string',
      'LIST|FILE',
      'the explorer’s instances, one a line or "…|…", each as check’s flags, dashes optional (default: three per protocol)',
    ),
    'time-limit': flag('string', 'SECONDS', 'stop after this long with what was done (exit 3)'),
    out: flag('string', 'DIR', 'where the minimized counterexample goes, as ITF (default counterexamples)'),
    json: flag('boolean', 'the report as one JSON object on stdout'),
    'memory-model': flag(
      'string',
      'sc|rc11',
      "rc11 adds a job exploring the module's orderings under RC11 (data races)",
    ),
    spec: SPEC_FLAG,
  },
  exits: {
    0: 'the implementation conforms in every job',
    1: 'it fails a job (the report names the job, the property and the step)',
    2: 'bad input, or the module broke an interface rule (docs/conform.md)',
    3: 'incomplete: --time-limit or an explorer limit stopped a job (with what was done)',
  },
  async run(args, io) {
    if (args.positionals.length > 0)
      throw new UsageError(`unexpected argument '${args.positionals[0]}' (use --impl MODULE)`);
    const f = validate(Flags, args.flags);
    const m = await loadImplementation(f.impl, io);
    const protocol = m.protocol ?? 'current';
    // `--spec` is every instance's default (an instance naming its own spec keeps it), the default instances' too.
    const instances =
      f.instances !== undefined
        ? parseInstances(f.instances, protocol, io.cwd, f.spec)
        : f.spec === 'head'
          ? parseInstances(DEFAULT_INSTANCES[protocol].join('|'), protocol, io.cwd, f.spec)
          : undefined;
    const r = breachIsUsage(f.impl, () =>
      runConform(m, {
        ...(f.runs !== undefined && { runs: f.runs }),
        ...(f.seed !== undefined && { seed: f.seed }),
        ...(instances !== undefined && { instances }),
        ...(f['time-limit'] !== undefined && { timeLimitMs: f['time-limit'] * 1000 }),
        ...(f['memory-model'] !== undefined && { memoryModel: f['memory-model'] }),
        ...(f.spec !== undefined && { spec: f.spec }),
      }),
    );
    const file = writeCounterexample(r, f.impl, resolve(io.cwd, f.out ?? 'counterexamples'));
    return report(
      io,
      conformDetails(r),
      {
        verdictWord: (v) => (v === 'ok' ? 'conforms' : v === 'violation' ? 'fails' : v),
        stats: (s) => ({ ...s }),
        counterexample: () => file ?? null,
        text: () => [
          ...formatConform(r),
          ...(file === undefined
            ? []
            : [`counterexample written to ${file}; replay: framecheck replay ${file} --impl ${f.impl}`]),
        ],
      },
      f.json === true,
    );
  },
};

/**
 * What `check --impl` and `replay --impl` run instead of framecheck's frame layer: the module `spec`,
 * loaded and guarded. Call `done()` after the run: a breach of the interface rules is then bad input.
 */
export async function implSubject(
  spec: string,
  io: Io,
  variant?: 'current' | 'legacy',
): Promise<{ subject: Subject; done: () => void }> {
  const m = await loadImplementation(spec, io);
  const protocol = m.protocol ?? 'current';
  if (variant !== undefined && variant !== protocol)
    throw new UsageError(`--impl ${spec} implements the ${protocol} protocol; pass --variant ${protocol}`);
  const guard = new Guard();
  return {
    subject: subjectOf(guard.wrap(m)),
    done: () => {
      if (guard.breach !== undefined) throw new UsageError(`--impl ${spec}: ${guard.breach}`);
    },
  };
}
