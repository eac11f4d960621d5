/**
 * `framecheck simulate`: random or PCT runs of instances too large to exhaust, through the real
 * implementation with every explorer check on every step; a failure is shrunk and written as an ITF
 * counterexample that `framecheck replay` re-runs. `--scenario buddy-stress` runs DragonOS's test_buddy;
 * `--scenario threads` runs the real implementation on `worker_threads` and audits what they left.
 */
import { parseShard, swarmMember, SWARM_FLAG_TABLE, writeSwarmResult } from './shard.ts';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { InstanceError, type Instance } from '../../check/instance.ts';
import { timelineText } from '../../check/timeline.ts';
import { buddyScenario } from '../../simulate/buddyScenario.ts';
import { runStress } from '../../stress/stress.ts';
import { simInstance } from '../../simulate/simInstance.ts';
import { failureOf, simulate as runSimulation, type SimFailure, type SimStats } from '../../simulate/simulate.ts';
import { quietLine, report, type Rendering } from '../reporter.ts';
import { intFlag, UsageError, validate } from '../args.ts';
import { EXIT, flag, type Command, type Io } from '../command.ts';
import { interrupted } from '../interrupt.ts';
import { outputDir, writeFileAtomic as writeAtomic } from '../writeFileAtomic.ts';
import { subjectOf } from '../../subjects/resolve.ts';
import { runSimulateRc11 } from './checkRc11.ts';
import { AXIOMS_FLAG, withAxiomFindings } from '../../axioms/axiomsFlag.ts';
import { walkAxioms } from '../../axioms/realStates.ts';

const Flags = z.object({
  frames: intFlag(1, 65_536).optional(),
  threads: intFlag(1, 64).optional(),
  steps: intFlag(1, 1_000_000_000).optional(),
  runs: intFlag(1, 1_000_000).optional(),
  seed: intFlag(0, 2 ** 32 - 1).optional(),
  scheduler: z.enum(['random', 'pct']).optional(),
  depth: intFlag(1, 1_000_000).optional(),
  ops: z.string().optional(),
  'ops-per-thread': intFlag(1, 1_000_000_000).optional(),
  'ref-count-max': intFlag(1, 2 ** 31 - 1).optional(),
  variant: z.enum(['current', 'legacy']).optional(),
  mutant: z.string().optional(),
  scenario: z.enum(['buddy-stress', 'threads']).optional(),
  history: z.string().optional(),
  mib: intFlag(1, 4096).optional(),
  shrink: z.boolean().optional(),
  'time-limit': intFlag(1, 86_400).optional(),
  out: z.string().optional(),
  json: z.boolean().optional(),
  axioms: z.boolean().optional(),
  progress: z.boolean().optional(),
  shard: z.string().optional(),
  'shard-file': z.string().optional(),
  'memory-model': z.enum(['sc', 'rc11'], 'must be sc or rc11').optional(),
});
type Flags = z.infer<typeof Flags>;

const FLAGS = {
  frames: flag('string', 'F', 'frames in the region, 1..65536 (default 1024)'),
  threads: flag('string', 'T', 'threads, 1..64 (default 16; with --scenario threads: worker threads, default 4)'),
  steps: flag('string', 'N', 'steps per run (default 100000; with --scenario threads: operations, default 1000000)'),
  runs: flag('string', 'N', 'runs, each from seed S+run (default 2; with --scenario buddy-stress: rounds, default 10)'),
  seed: flag('string', 'S', "the first run's seed (default: from the clock, printed)"),
  scheduler: flag('string', 'random|pct', 'the scheduler (default random)'),
  depth: flag('string', 'D', "PCT's bug depth (with --scheduler pct; default 3)"),
  ops: flag('string', 'a,b,…', 'the operations a thread may choose from'),
  'ops-per-thread': flag('string', 'N', 'operations each thread runs'),
  'ref-count-max': flag('string', 'N', 'the reference-count bound: an increment from a count >= N aborts'),
  variant: flag('string', 'current|legacy', 'the protocol variant (default current)'),
  mutant: flag('string', 'NAME', 'run a seeded bug of the catalog instead (framecheck mutants --list)'),
  'memory-model': flag(
    'string',
    'sc|rc11',
    'sequential consistency (default), or random executions RC11 allows (no alloc)',
  ),
  scenario: flag(
    'string',
    'buddy-stress|threads',
    "DragonOS's test_buddy, or the real implementation on worker threads",
  ),
  history: flag('string', 'OUT.jsonl', 'with --scenario threads: write the history (docs/formats.md, Histories)'),
  mib: flag('string', 'MIB', 'with --scenario buddy-stress: MiB allocated per round (default 200)'),
  shrink: flag('boolean', 'shrink a failure before reporting it (default on)'),
  'time-limit': flag('string', 'SECONDS', 'stop with exit 3 after this long'),
  out: flag('string', 'DIR', 'where the counterexample is written (default counterexamples)'),
  json: flag('boolean', 'one JSON object on stdout'),
  axioms: AXIOMS_FLAG,
  ...SWARM_FLAG_TABLE,
} as const;

type Settings = Readonly<{
  inst: Instance;
  steps: number;
  runs: number;
  seed: number;
  scheduler: 'random' | 'pct';
  depth: number;
}>;

/** Checks the bounds and builds the instance; bad input is one line and exit 2. */
function settings(f: Flags): Settings {
  const steps = f.steps ?? 100_000;
  const scheduler = f.scheduler ?? 'random';
  if (f.depth !== undefined && scheduler !== 'pct')
    throw new UsageError('--depth is the PCT bug depth: give --scheduler pct too');
  const depth = f.depth ?? 3;
  if (depth > steps)
    throw new UsageError(
      `--depth ${depth} is larger than --steps ${steps}: PCT needs depth - 1 change points among the steps`,
    );
  try {
    const inst = simInstance({
      frames: f.frames ?? 1024,
      threads: f.threads ?? 16,
      steps,
      ...(f.ops !== undefined && { ops: f.ops }),
      ...(f['ops-per-thread'] !== undefined && { opsPerThread: f['ops-per-thread'] }),
      ...(f['ref-count-max'] !== undefined && { refCountMax: f['ref-count-max'] }),
      ...(f.variant !== undefined && { variant: f.variant }),
      ...(f.mutant !== undefined && { mutant: f.mutant }),
    });
    return { inst, steps, runs: f.runs ?? 2, seed: f.seed ?? Date.now() % 2 ** 31, scheduler, depth };
  } catch (e) {
    if (e instanceof InstanceError) throw new UsageError(e.message);
    throw e;
  }
}

/** The command line that reproduces run `seed` alone. */
function reproduceLine(s: Settings, seed: number): string {
  const i = s.inst;
  const p = i.programs[0]!;
  const ops = p.kind === 'any' ? ` --ops ${p.ops.join(',')} --ops-per-thread ${p.depth}` : '';
  const sched = s.scheduler === 'pct' ? ` --scheduler pct --depth ${s.depth}` : '';
  const mutant = i.mutant !== undefined ? ` --mutant ${i.mutant}` : '';
  return `framecheck simulate --frames ${i.frames} --threads ${i.threads} --steps ${s.steps}${ops} --ref-count-max ${i.refCountMax} --variant ${i.variant}${mutant}${sched} --seed ${seed} --runs 1`;
}

/** The statistics as simulate's JSON fields (after the head every command's JSON shares). */
function statsJson(s: Settings, r: SimStats): Record<string, unknown> {
  const i = s.inst;
  return {
    scheduler: r.scheduler,
    frames: i.frames,
    threads: i.threads,
    seed: s.seed,
    runs: r.runs,
    steps: r.steps,
    operations: r.completed,
    seconds: Number(r.seconds.toFixed(3)),
    stepsPerSecond: r.stepsPerSecond,
  };
}

/** Writes the failure's trace, if it has one; returns the file. */
function writeTrace(f: SimFailure, s: Settings, dir: string): string | undefined {
  if (f.trace === undefined) return undefined;
  outputDir(dir);
  const file = join(
    dir,
    `${s.inst.mutant ?? s.inst.variant}-${f.finding.property.replace(/[^A-Za-z0-9_.-]/g, '_')}.sim.itf.json`,
  );
  writeAtomic(file, `${JSON.stringify(f.trace, null, 1)}\n`);
  return file;
}

/** The shrunk failure's size, as JSON and text show it. */
function shrunkOf(f: SimFailure) {
  return f.shrunk === undefined
    ? undefined
    : {
        threads: f.shrunk.inst.threads,
        frames: f.shrunk.inst.frames,
        ops: f.shrunk.script.programs.reduce((n, p) => n + p.length, 0),
        steps: f.shrunk.run.labels.length,
        replays: f.shrunk.attempts,
      };
}

/** How simulate shows a result (through the one reporter). */
function rendering(s: Settings, file: string | undefined): Rendering<SimStats, SimFailure> {
  return {
    stats: (r) => statsJson(s, r),
    counterexample: (f) => ({
      property: f.finding.property,
      blame: f.finding.blame,
      message: f.finding.message,
      run: f.run,
      seed: f.seed,
      step: f.step,
      original: f.original,
      shrunk: shrunkOf(f),
      file: file ?? null,
      noTrace: f.noTrace ?? null,
      reproduce: reproduceLine(s, f.seed),
    }),
    text: (d) => {
      const r = d.stats;
      if (d.verdict !== 'violation')
        return [
          quietLine(
            d,
            `${s.inst.frames} frames × ${s.inst.threads} threads, ${r.scheduler}, ${r.runs} run(s), ${r.steps} steps (${r.completed} operations), ${r.seconds.toFixed(2)} s, ${r.stepsPerSecond} steps/s, seed ${s.seed}`,
          ),
        ];
      const f = d.counterexample;
      const o = f.original;
      const shrunk = shrunkOf(f);
      return [
        `violation of ${f.finding.property} (blame: ${f.finding.blame}) in run ${f.run} (seed ${f.seed}) at step ${f.step} — ${f.finding.message}`,
        ...(shrunk
          ? [
              `  shrunk from ${o.threads} threads, ${o.frames} frames, ${o.ops} operations, ${o.steps} steps to ${shrunk.threads} thread(s), ${shrunk.frames} frame(s), ${shrunk.ops} operation(s), ${shrunk.steps} step(s) (${shrunk.replays} replays)`,
            ]
          : []),
        ...(f.replayed === undefined
          ? []
          : timelineText(f.replayed, f.replayed.world.inst.threads).map((l) => `  ${l}`)),
        file !== undefined
          ? `  written to ${file}\n  replay: framecheck replay ${file}`
          : `  no trace written: ${f.noTrace}`,
        `  reproduce: ${reproduceLine(s, f.seed)}`,
      ];
    },
  };
}

function runScenario(f: Flags, io: Io): number {
  const r = buddyScenario({ seed: f.seed ?? Date.now() % 2 ** 31, rounds: f.runs ?? 10, mib: f.mib ?? 200 });
  if (f.json)
    io.out(
      JSON.stringify({
        scenario: 'buddy-stress',
        verdict: r.verdict,
        ...r.stats,
        seconds: Number(r.seconds.toFixed(3)),
        allocationsPerSecond: r.allocationsPerSecond,
      }),
    );
  else {
    io.out(
      `buddy-stress: ${r.stats.rounds} rounds, ${r.stats.allocations} allocations (${r.stats.randomFrees} random frees), ${(r.stats.bytesAllocated / 2 ** 20).toFixed(0)} MiB, ${r.seconds.toFixed(2)} s`,
    );
    for (const v of r.stats.violations) io.out(`  violation: ${v}`);
    io.out(r.verdict === 'ok' ? 'ok: every block handed out once, its data intact, every frame returned' : 'violation');
  }
  return r.verdict === 'ok' ? EXIT.ok : EXIT.violation;
}

/** `--scenario threads`: worker threads on the shared region and buddy allocator, then the audit. */
async function runThreads(f: Flags, io: Io): Promise<number> {
  const workers = f.threads ?? 4;
  const r = await runStress({
    workers,
    ops: f.steps ?? 1_000_000,
    frames: f.frames ?? 1024,
    seed: f.seed ?? 1,
    ...(f['time-limit'] !== undefined && { timeoutMs: f['time-limit'] * 1000 }),
  });
  if (f.history !== undefined) writeAtomic(resolve(io.cwd, f.history), r.history());
  const validation =
    r.validation === undefined ? null : 'verdict' in r.validation ? r.validation.verdict : r.validation.error;
  const summary = {
    scenario: 'threads',
    ok: r.ok,
    workers: r.workers,
    ops: r.ops,
    seconds: Number(r.seconds.toFixed(3)),
    opsPerSecond: r.opsPerSecond,
    audit: r.audit,
    validation,
  };
  if (f.json) io.out(JSON.stringify(summary));
  else {
    io.out(`threads: ${workers} worker(s), ${r.ops} operations in ${r.seconds.toFixed(2)} s (${r.opsPerSecond} ops/s)`);
    for (const w of r.workers)
      io.out(
        `  worker ${w.id}: ${w.status}, ${w.ops} operations${w.error ? ` (${w.error}; in flight: ${w.pending ?? 'nothing'})` : ''}`,
      );
    io.out(
      `  audit: ${r.audit.free} free + ${r.audit.inUse} in use + ${r.audit.explained.length} explained by a crash = ${r.audit.frames} frames${r.audit.exact ? ', exact' : ''}`,
    );
    for (const v of r.audit.violations) io.out(`  violation: ${v}`);
    if (validation !== null) io.out(`  history: ${validation}`);
    io.out(r.ok ? 'ok' : 'violation');
  }
  return r.ok ? EXIT.ok : EXIT.violation;
}

export const simulate: Command = {
  summary: 'random or PCT simulation of instances too large to exhaust; shrunk, replayable counterexamples',
  usage:
    'usage: framecheck simulate [flags]\n' +
    '       framecheck simulate --scenario buddy-stress [--runs ROUNDS] [--mib MIB_PER_ROUND] [--seed S] [--json]\n' +
    '       framecheck simulate --scenario threads [--threads WORKERS] [--steps OPERATIONS] [--frames F] [--seed S] [--history OUT.jsonl] [--json]',
  flags: FLAGS,
  exits: {
    0: 'no violation in any run',
    1: 'a violation (shrunk, written to --out, with the command line that reproduces it)',
    2: 'bad input',
    3: 'incomplete: --time-limit or Ctrl-C stopped the runs (partial statistics)',
  },
  interruptible: true,
  run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const f = validate(Flags, args.flags);
    if (f.scenario === 'buddy-stress') return runScenario(f, io);
    if (f.scenario === 'threads') return runThreads(f, io);
    const shard = f.shard === undefined ? undefined : parseShard(f.shard, process.env);
    // A swarm's members share the base seed (1 unless given), so their seed ranges are disjoint.
    const base = settings(shard === undefined ? f : { ...f, seed: f.seed ?? 1 });
    const s = shard === undefined ? base : swarmMember(base, shard, f.scheduler !== undefined);
    const subject = subjectOf(s.inst);
    if (f['memory-model'] === 'rc11') {
      if (shard !== undefined) throw new UsageError('--memory-model rc11 runs unsharded');
      // Each run's execution graph holds every access of the run: it must stay small.
      if (s.inst.frames > 16 || s.inst.threads > 8 || f['ops-per-thread'] === undefined || f['ops-per-thread'] > 64)
        throw new UsageError('--memory-model rc11 needs --frames <= 16, --threads <= 8 and --ops-per-thread <= 64');
      const deadline = Date.now() + (f['time-limit'] ?? 86_400) * 1000;
      return runSimulateRc11(
        s.inst,
        {
          runs: s.runs,
          seed: s.seed,
          out: f.out ?? 'counterexamples',
          json: f.json ?? false,
          stop: () => interrupted() || Date.now() > deadline,
          ...(subject && { subject }),
        },
        io,
      );
    }
    const progress = io.progress
      ? (p: { run: number; steps: number; seconds: number }) =>
          io.err(
            `run ${p.run}/${s.runs}  ${p.steps} steps  ${(p.steps / Math.max(p.seconds, 1e-9)).toFixed(0)} steps/s`,
          )
      : undefined;
    const ax = withAxiomFindings(
      io,
      f.axioms === true ? walkAxioms(s.inst, 'head', { runs: s.runs, steps: s.steps, seed: s.seed }) : undefined,
      f.json ?? false,
    );
    const r = runSimulation({
      ...s,
      ...(subject && { subject }),
      shrink: f.shrink ?? true,
      ...(f['time-limit'] !== undefined && { timeLimitMs: f['time-limit'] * 1000 }),
      ...(progress && { onProgress: progress }),
      interrupted,
    });
    const failure = failureOf(r);
    if (shard !== undefined) {
      const failed = failure && { property: failure.finding.property, reason: reproduceLine(s, failure.seed) };
      writeSwarmResult(s.inst, shard, f['shard-file'], { verdict: r.verdict, ...r.stats }, failed ?? {}, io);
    }
    const file = failure && writeTrace(failure, s, resolve(io.cwd, f.out ?? 'counterexamples'));
    return ax.exit(report(ax.io, r, rendering(s, file), f.json ?? false));
  },
};
