/**
 * `framecheck check`: exhaustive exploration of a bounded instance through the real implementation.
 */
import { SPEC_FLAG, specVersionSchema } from '../specFlag.ts';
import { join, resolve } from 'node:path';
import { totalmem } from 'node:os';
import { z } from 'zod';
import type { Limits, SearchResult, Stats } from '../../check/explore/search.ts';
import { checkInstance } from '../../check/checkInstance.ts';
import { buildInstance, InstanceError, type Instance } from '../../check/instance.ts';
import { timelineText } from '../../check/timeline.ts';
import { toJsonl } from '../../record/HistoryRecorder.ts';
import { historyOfRun } from '../../record/exploreHistory.ts';
import { mutantByName } from '../../mutants/catalog.ts';
import { parallelSubject, subjectOf } from '../../subjects/resolve.ts';
import { quietLine, report } from '../reporter.ts';
import type { Strategy } from '../../strategies/Strategy.ts';
import { bfs, foundElsewhere } from '../../strategies/bfs.ts';
import { dfs } from '../../strategies/dfs.ts';
import { random } from '../../strategies/random.ts';
import { pct } from '../../strategies/pct.ts';
import type { SampleProgress, SampleStats } from '../../strategies/walk.ts';
import { intFlag, UsageError, validate } from '../args.ts';
import { flag, flagKinds, type Command, type Io } from '../command.ts';
import { interrupted } from '../interrupt.ts';
import type { Subject } from '../../check/world.ts';
import { implSubject } from './conform.ts';
import { outputDir, writeFileAtomic } from '../writeFileAtomic.ts';
import { runCheckRc11 } from './checkRc11.ts';
import { AXIOM_STATE_CAP, AXIOMS_FLAG, withAxiomFindings } from '../../axioms/axiomsFlag.ts';
import { exploreAxioms } from '../../axioms/realStates.ts';
import { PARALLEL_FLAG_TABLE, ParallelFlagsSchema, parseShard, parseWorkers, runShard } from './shard.ts';

const bytes = z
  .string()
  .regex(/^\d+(\.\d+)?[KMG]?$/i, 'must be a size such as 512M or 2G')
  .transform((s) => Number.parseFloat(s) * ({ K: 2 ** 10, M: 2 ** 20, G: 2 ** 30 }[s.slice(-1).toUpperCase()] ?? 1))
  .refine((n) => n >= 2 ** 20, 'must be at least 1M');

/** The flags that describe an instance (shared by `check` and `prove --certify`). */
export const InstanceFlagsSchema = z.object({
  frames: intFlag(1, 16).optional(),
  threads: intFlag(1, 8).optional(),
  depth: intFlag(0, 12).optional(),
  ops: z.string().optional(),
  program: z.string().optional(),
  'ref-count-max': intFlag(1, 2 ** 31 - 1).optional(),
  variant: z.enum(['current', 'legacy']).optional(),
  mutant: z.string().optional(),
  symmetry: z.boolean().optional(),
  por: z.boolean().optional(),
  spec: specVersionSchema.optional(),
});

/** The strategies `--strategy` names. */
export const STRATEGY_NAMES = ['bfs', 'dfs', 'random', 'pct'] as const;

const Flags = InstanceFlagsSchema.extend({
  'max-states': intFlag(1, 2 ** 31 - 1).optional(),
  'max-memory': bytes.optional(),
  'time-limit': intFlag(1, 86_400).optional(),
  dfs: z.boolean().optional(),
  strategy: z.enum(STRATEGY_NAMES, 'must be bfs, dfs, random or pct').optional(),
  runs: intFlag(1, 100_000_000).optional(),
  seed: intFlag(0, 2 ** 32 - 1).optional(),
  'pct-depth': intFlag(1, 1000).optional(),
  out: z.string().optional(),
  history: z.string().optional(),
  impl: z.string().optional(),
  json: z.boolean().optional(),
  axioms: z.boolean().optional(),
  progress: z.boolean().optional(),
  'memory-model': z.enum(['sc', 'rc11'], 'must be sc or rc11').optional(),
}).extend(ParallelFlagsSchema.shape);

/** The flags that describe an instance, with their help lines (check and prove --certify). */
export const INSTANCE_FLAG_TABLE = {
  frames: flag('string', 'F', 'frames in the region, 1..16 (default 2)'),
  threads: flag('string', 'T', 'threads, 1..8 (default 3)'),
  depth: flag('string', 'D', 'operations per thread, 0..12 (default 3)'),
  ops: flag('string', 'a,b,…', 'the operations a thread may choose from (default from_unused,from_in_use,drop)'),
  program: flag('string', '"0:op,op;1:op@frame"', 'fixed programs per thread instead of --depth/--ops'),
  'ref-count-max': flag('string', 'N', 'the reference-count bound: an increment from a count >= N aborts (default 2)'),
  variant: flag('string', 'current|legacy', 'the protocol variant (default current)'),
  mutant: flag('string', 'NAME', 'run a seeded bug of the catalog instead (framecheck mutants --list)'),
  symmetry: flag('boolean', 'thread and frame symmetry reduction (default on)'),
  por: flag('boolean', 'partial-order reduction with sleep sets (default on)'),
  spec: SPEC_FLAG,
} as const;

/** check's flag table: the instance, the limits, the outputs. */
export const CHECK_FLAG_TABLE = {
  ...INSTANCE_FLAG_TABLE,
  'max-states': flag(
    'string',
    'N',
    'stop with exit 3 after N distinct states (random, pct: N steps over all runs) (default 1000000000)',
  ),
  'max-memory': flag(
    'string',
    'SIZE',
    "stop with exit 3 above this memory use (heap and state tables), such as 512M or 2G (default: 3/4 of the machine's memory)",
  ),
  'time-limit': flag('string', 'SECONDS', 'stop with exit 3 after this long (default 3600)'),
  dfs: flag('boolean', 'depth-first instead of breadth-first (traces are then not shortest; as --strategy dfs)'),
  strategy: flag(
    'string',
    'bfs|dfs|random|pct',
    'how to run the instance: every interleaving (bfs, the default; dfs), or seeded random or PCT runs',
  ),
  runs: flag('string', 'N', 'with --strategy random|pct: the runs, run r from seed S+r (default 100)'),
  seed: flag('string', 'S', "with --strategy random|pct: the first run's seed (default 1)"),
  'pct-depth': flag('string', 'D', "with --strategy pct: PCT's bug depth (default 3)"),
  out: flag('string', 'DIR', 'where the counterexample is written (default counterexamples)'),
  history: flag('string', 'FILE.jsonl', "also write the counterexample's history (docs/formats.md, Histories)"),
  impl: flag('string', 'MODULE', "explore a third-party implementation (as conform --impl) instead of framecheck's"),
  json: flag('boolean', 'one JSON object on stdout'),
  axioms: AXIOMS_FLAG,
  'memory-model': flag(
    'string',
    'sc|rc11',
    'sequential consistency (default), or every execution RC11 allows: data races, ordering bugs (no alloc)',
  ),
  ...PARALLEL_FLAG_TABLE,
} as const;

/** The kinds of check's flags (conform reads the instance flags' kinds from here). */
export const CHECK_FLAGS = flagKinds(CHECK_FLAG_TABLE);

/** Parses the instance flags; a malformed instance is a usage error. */
export function instanceFromFlags(f: z.infer<typeof InstanceFlagsSchema>): Instance {
  try {
    const inst = buildInstance(
      {
        ...(f.frames !== undefined && { frames: f.frames }),
        ...(f.threads !== undefined && { threads: f.threads }),
        ...(f.depth !== undefined && { depth: f.depth }),
        ...(f.ops !== undefined && { ops: f.ops }),
        ...(f.program !== undefined && { program: f.program }),
        ...(f['ref-count-max'] !== undefined && { refCountMax: f['ref-count-max'] }),
        ...(f.variant !== undefined && { variant: f.variant }),
        ...(f.mutant !== undefined && { mutant: f.mutant }),
        ...(f.symmetry !== undefined && { symmetry: f.symmetry }),
        ...(f.por !== undefined && { por: f.por }),
        ...(f.spec !== undefined && { spec: f.spec }),
      },
      (n) => mutantByName(n) !== undefined,
    );
    const work = inst.programs.reduce((s, p) => s + (p.kind === 'any' ? p.depth * p.ops.length : p.steps.length), 0);
    if (work * inst.frames > 160)
      throw new InstanceError(
        `the instance (${inst.threads} threads × ${inst.frames} frames) is too large to exhaust within memory; use framecheck simulate`,
      );
    return inst;
  } catch (e) {
    if (e instanceof InstanceError) throw new UsageError(e.message);
    throw e;
  }
}

/** Writes `data` to `file` atomically (see writeFileAtomic.ts): nothing half-written, bad paths exit 2. */
export const writeAtomic = writeFileAtomic;

/** The strategy's statistics as check's JSON fields. */
function statsJson(s: Stats | SampleStats): Record<string, unknown> {
  if ('states' in s)
    return {
      states: s.states,
      transitions: s.transitions,
      depth: s.depth,
      seconds: Number(s.seconds.toFixed(3)),
      statesPerSecond: s.statesPerSecond,
      reductions: s.reductions,
    };
  return {
    scheduler: s.scheduler,
    seed: s.seed,
    runs: s.runs,
    steps: s.steps,
    depth: s.depth,
    seconds: Number(s.seconds.toFixed(3)),
    stepsPerSecond: s.stepsPerSecond,
    ...(s.failedRun !== undefined && { failedRun: s.failedRun }),
  };
}

/** The statistics as the end of a text line. */
function statsText(s: Stats | SampleStats): string {
  if ('states' in s)
    return `${s.states} states, ${s.transitions} transitions, depth ${s.depth}, ${s.seconds.toFixed(2)} s (${s.statesPerSecond} states/s)`;
  return `${s.scheduler}, ${s.runs} run(s) from seed ${s.seed}, ${s.steps} steps, longest ${s.depth}, ${s.seconds.toFixed(2)} s (${s.stepsPerSecond} steps/s)`;
}

/** How a check runs: the strategy's name and, for random and PCT, their runs, seed and bug depth. */
export type StrategyChoice = Readonly<{
  name: (typeof STRATEGY_NAMES)[number];
  runs?: number;
  seed?: number;
  pctDepth?: number;
}>;

/**
 * The strategy `choice` names. BFS is the one-thread explorer, or with `workers` above 1 the
 * level-synchronized search on that many threads (which visits the same states for every count of
 * two or more); --impl's stays the one-thread explorer.
 */
function strategyOf(
  inst: Instance,
  choice: StrategyChoice,
  workers: number,
  custom: boolean,
  onProgress?: (p: SampleProgress) => void,
): Strategy<Stats | SampleStats> {
  const sampling = { runs: choice.runs ?? 100, seed: choice.seed ?? 1, ...(onProgress && { onProgress }) };
  if (choice.name === 'random') return random(sampling);
  if (choice.name === 'pct') return pct({ ...sampling, depth: choice.pctDepth ?? 3 });
  if (choice.name === 'dfs') return dfs;
  // --impl's subject cannot be rebuilt by a worker thread: its search stays on this one.
  return bfs(workers > 1 && !custom ? { workers, workerScript: parallelSubject(inst).workerScript } : undefined);
}

/** The progress line of random and PCT runs (every 2 s, as the exhaustive search's). */
const sampleProgress =
  (io: Io) =>
  (p: SampleProgress): void =>
    io.err(
      `runs ${p.runs}/${p.plannedRuns}  steps ${p.steps}  longest ${p.depth}  ${p.stepsPerSecond} steps/s  ${p.scheduler}`,
    );

/** Runs the check and reports; returns the exit code. */
export function runCheck(
  inst: Instance,
  limits: Limits,
  opts: {
    dfs: boolean;
    out: string;
    json: boolean;
    history?: string;
    subject?: Subject;
    /** Worker threads (above 1: the parallel search, exploreParallel). */
    workers?: number;
    /** The strategy (default: breadth-first, depth-first with `dfs`). */
    strategy?: StrategyChoice;
    /** A result already found (merged shards): reported, not searched for. */
    result?: SearchResult;
  },
  io: Io,
): number {
  const progress = io.progress
    ? (p: {
        states: number;
        transitions: number;
        queue: number;
        depth: number;
        statesPerSecond: number;
        memoryBytes: number;
        workers?: number;
      }) =>
        io.err(
          `states ${p.states}  transitions ${p.transitions}  queue ${p.queue}  depth ${p.depth}  ${p.statesPerSecond} states/s  ${(p.memoryBytes / 2 ** 20).toFixed(0)} MiB${p.workers === undefined ? '' : `  workers ${p.workers}`}`,
        )
    : undefined;
  // --impl's subject is given; a mutant's is resolved by name (the parallel workers rebuild it so).
  const subject = opts.subject ?? parallelSubject(inst).subject;
  const choice: StrategyChoice = opts.strategy ?? { name: opts.dfs ? 'dfs' : 'bfs' };
  const strategy =
    opts.result !== undefined
      ? foundElsewhere(opts.result)
      : strategyOf(
          inst,
          choice,
          opts.workers ?? 1,
          opts.subject !== undefined,
          io.progress ? sampleProgress(io) : undefined,
        );
  const details = checkInstance(inst, {
    limits,
    strategy,
    ...(progress && { onProgress: progress }),
    ...(subject !== undefined && { subject }),
  });
  let file = '';
  if (details.verdict === 'violation') {
    const cx = details.counterexample;
    const dir = outputDir(resolve(io.cwd, opts.out));
    const name = `${inst.mutant ?? inst.variant}-${cx.finding.property.replace(/[^A-Za-z0-9_.-]/g, '_')}.itf.json`;
    file = join(dir, name);
    writeAtomic(file, `${JSON.stringify(cx.trace, null, 1)}\n`);
    // The counterexample's history (docs/formats.md "Histories"), for `framecheck validate` and other tools.
    if (opts.history !== undefined) writeAtomic(resolve(io.cwd, opts.history), toJsonl(historyOfRun(cx.run)));
  }
  return report(
    io,
    details,
    {
      stats: (s) => ({ strategy: strategy.name, ...statsJson(s) }),
      counterexample: (cx) => ({
        file,
        property: cx.trace['#meta'].property,
        blame: cx.trace['#meta'].blame,
        message: cx.trace['#meta'].message,
        steps: cx.labels.length,
      }),
      text: (d) => {
        if (d.verdict !== 'violation') return [quietLine(d, statsText(d.stats))];
        const cx = d.counterexample;
        const meta = cx.trace['#meta'];
        const s = d.stats;
        const found =
          'states' in s
            ? `${s.states} states explored; shortest trace`
            : `found by ${s.scheduler} in run ${s.failedRun!.run} (seed ${s.failedRun!.seed}, reproduce with --seed ${s.failedRun!.seed} --runs 1); minimized trace`;
        return [
          `violation of ${meta.property} (blame: ${meta.blame}) — ${meta.message}`,
          `  ${meta.verus}`,
          ...timelineText(cx.run, cx.instance.threads).map((line) => `  ${line}`),
          `${found} ${cx.labels.length} steps on ${cx.instance.threads} thread(s); written to ${file}`,
          `replay: framecheck replay ${file}`,
        ];
      },
    },
    opts.json,
  );
}

/** `--strategy` and its flags, checked against each other and against --dfs and --workers. */
function strategyChoice(f: z.infer<typeof Flags>, workers: number): StrategyChoice {
  const name = f.strategy ?? (f.dfs === true ? 'dfs' : 'bfs');
  if (f.dfs === true && name !== 'dfs') throw new UsageError(`--dfs and --strategy ${name} exclude each other`);
  const sampled = name === 'random' || name === 'pct';
  if (!sampled && (f.runs !== undefined || f.seed !== undefined))
    throw new UsageError(`--runs and --seed are for --strategy random or pct, not ${name}`);
  if (name !== 'pct' && f['pct-depth'] !== undefined) throw new UsageError('--pct-depth needs --strategy pct');
  if (name !== 'bfs' && ((f.workers !== undefined && workers > 1) || f.shard !== undefined))
    throw new UsageError(`--workers and --shard run the breadth-first search, not --strategy ${name}`);
  return {
    name,
    ...(f.runs !== undefined && { runs: f.runs }),
    ...(f.seed !== undefined && { seed: f.seed }),
    ...(f['pct-depth'] !== undefined && { pctDepth: f['pct-depth'] }),
  };
}

export const check: Command = {
  summary: 'explore every interleaving of a bounded instance of the real implementation',
  usage: 'usage: framecheck check [flags]',
  flags: CHECK_FLAG_TABLE,
  exits: {
    0: 'every interleaving holds',
    1: 'a violation (its counterexample is written to --out)',
    2: 'bad input',
    3: 'incomplete: a limit or Ctrl-C stopped the search (partial statistics)',
  },
  interruptible: true,
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const f = validate(Flags, args.flags);
    if (f.impl !== undefined && f.mutant !== undefined) throw new UsageError('--impl and --mutant exclude each other');
    const impl = f.impl === undefined ? undefined : await implSubject(f.impl, io, f.variant ?? 'current');
    const inst = instanceFromFlags({ ...f, 'ref-count-max': f['ref-count-max'] ?? 2 });
    const limits: Limits = {
      maxStates: f['max-states'] ?? 1_000_000_000,
      timeLimitMs: (f['time-limit'] ?? 3600) * 1000,
      maxMemoryBytes: f['max-memory'] ?? Math.floor(totalmem() * 0.75),
      interrupted,
    };
    if (f['memory-model'] === 'rc11') {
      if (f.shard !== undefined || f.workers !== undefined)
        throw new UsageError('--memory-model rc11 runs on one worker, unsharded');
      if (f.strategy !== undefined) throw new UsageError('--memory-model rc11 explores every execution: no --strategy');
      const subject = impl?.subject ?? subjectOf(inst);
      const deadline = Date.now() + limits.timeLimitMs;
      const code = runCheckRc11(
        inst,
        {
          out: f.out ?? 'counterexamples',
          json: f.json ?? false,
          // The RC11 explorer takes no --max-memory: its default state bound stays 20M.
          maxStates: f['max-states'] ?? 20_000_000,
          stop: () => interrupted() || Date.now() > deadline,
          ...(subject && { subject }),
        },
        io,
      );
      impl?.done();
      return code;
    }
    const workers = parseWorkers(f.workers);
    const choice = strategyChoice(f, workers);
    if (f.shard !== undefined) {
      if (f.dfs === true || impl !== undefined) throw new UsageError('--shard excludes --dfs and --impl');
      const shard = parseShard(f.shard, process.env);
      return runShard(inst, limits, { shard, workers, file: f['shard-file'], json: f.json ?? false }, io);
    }
    const history = f.history !== undefined ? { history: f.history } : {};
    if (f.axioms === true && impl !== undefined) throw new UsageError('--axioms excludes --impl');
    const ax = withAxiomFindings(
      io,
      f.axioms === true
        ? exploreAxioms(inst, f.spec ?? 'head', Math.min(limits.maxStates, AXIOM_STATE_CAP))
        : undefined,
      f.json ?? false,
    );
    const code = runCheck(
      inst,
      limits,
      {
        dfs: f.dfs ?? false,
        strategy: choice,
        out: f.out ?? 'counterexamples',
        json: f.json ?? false,
        ...history,
        workers,
        ...(impl && { subject: impl.subject }),
      },
      ax.io,
    );
    impl?.done();
    return ax.exit(code);
  },
};
