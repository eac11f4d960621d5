/**
 * Simulation steps per second, in one run on one machine: framecheck's simulator (every explorer
 * check on every step) on the peers' instance — 3 threads, 2 frames, claim/get/drop, REF_COUNT_MAX 2 —
 * against Quint's simulator (`quint run`, TypeScript backend) on `bench/peers/quint/refcount.qnt` and
 * against a plain fast-check `fc.commands` loop and `fc.scheduler()` loop on the same protocol
 * (`bench/peers/fast-check`, run with this repository's fast-check); then the 1,024-frame × 16-thread
 * instance.
 *
 * Quint is the repository's devDependency (`node_modules/.bin/quint`) when installed; otherwise it is
 * installed once into a temporary directory (never into this repository) with the peer's
 * `package.json`, which pins `antlr4ts` to the release that starts; when neither works, the row says
 * what to install.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peerDir, projectRoot } from './peers/index.ts';
import { simInstance } from '../src/simulate/simInstance.ts';
import { simulate, type SchedulerName } from '../src/simulate/simulate.ts';

const QUINT_DIR = process.env['QUINT_PEER_DIR'] ?? join(tmpdir(), 'framecheck-quint-peer');
const INSTALL_QUINT = 'npm install (the @informalsystems/quint devDependency) or network access to the npm registry';
const STEPS_PER_TRACE = 60;

type Rate = Readonly<{ stepsPerSecond: number; opsPerSecond?: number; detail: string }> | Readonly<{ blocked: string }>;

/** The median of three measurements (each tool is measured three times, interleaved with the others). */
function median(rates: readonly Rate[]): Rate {
  const ok = rates
    .filter((r): r is Extract<Rate, { stepsPerSecond: number }> => 'stepsPerSecond' in r)
    .sort((a, b) => a.stepsPerSecond - b.stepsPerSecond);
  return ok.length === 0 ? rates[0]! : ok[Math.floor(ok.length / 2)]!;
}

/** framecheck on the peers' instance: each run is one trace of at most 60 steps (after a warm-up). */
function ours(scheduler: SchedulerName, runs: number): Rate {
  const inst = simInstance({
    frames: 2,
    threads: 3,
    steps: STEPS_PER_TRACE,
    ops: 'from_unused,from_in_use,drop',
    opsPerThread: 3,
    refCountMax: 2,
  });
  simulate({ inst, runs: 5000, steps: STEPS_PER_TRACE, seed: 1, scheduler, depth: 3 });
  const d = simulate({ inst, runs, steps: STEPS_PER_TRACE, seed: 7, scheduler, depth: 3 });
  const r = { ...d.stats, verdict: d.verdict };
  const opsPerSecond = Math.round(r.completed / r.seconds);
  return {
    stepsPerSecond: r.stepsPerSecond,
    opsPerSecond,
    detail: `${r.runs} runs, ${r.steps} steps, ${r.completed} operations (${opsPerSecond} ops/s), ${r.seconds.toFixed(2)} s, ${r.verdict}`,
  };
}

/** The quint binary: the repository's devDependency, else a pinned install in QUINT_DIR; or why there is none. */
function findQuint(): { bin: string } | { blocked: string } {
  const own = join(projectRoot(), 'node_modules', '.bin', 'quint');
  if (existsSync(own)) return { bin: own };
  const bin = join(QUINT_DIR, 'node_modules', '.bin', 'quint');
  if (existsSync(bin)) return { bin };
  try {
    mkdirSync(QUINT_DIR, { recursive: true });
    copyFileSync(join(peerDir('quint'), 'package.json'), join(QUINT_DIR, 'package.json'));
    execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: QUINT_DIR, stdio: 'ignore', timeout: 300_000 });
    return { bin };
  } catch (e) {
    return {
      blocked: `quint not found and its install failed (${e instanceof Error ? e.message.split('\n')[0] : e}): ${INSTALL_QUINT}`,
    };
  }
}

/** `quint run` of `refcount3`: traces/s from its own report; every trace is 60 steps (it stutters when done). */
function quint(samples: number): Rate {
  const quintBin = findQuint();
  if ('blocked' in quintBin) return quintBin;
  const args = [
    'run',
    '--backend=typescript',
    '--main=refcount3',
    `--max-samples=${samples}`,
    `--max-steps=${STEPS_PER_TRACE}`,
    '--invariant=inv',
    '--seed=0x1234',
    '--verbosity=1',
    join(peerDir('quint'), 'refcount.qnt'),
  ];
  try {
    const out = execFileSync(quintBin.bin, args, {
      encoding: 'utf8',
      timeout: 600_000,
    });
    const m = /\((\d+)ms at (\d+) traces\/second\)/.exec(out);
    if (m === null) return { blocked: `quint run printed no rate: ${out.trim().split('\n').at(-1)}` };
    return {
      stepsPerSecond: Number(m[2]) * STEPS_PER_TRACE,
      detail: `${samples} traces × ${STEPS_PER_TRACE} steps in ${m[1]} ms`,
    };
  } catch (e) {
    return { blocked: `quint run failed (${e instanceof Error ? e.message.split('\n')[0] : e})` };
  }
}

/**
 * A fast-check peer script, run in place: from `bench/peers/fast-check/` Node resolves this
 * repository's fast-check. Its JSON line's `key`.
 */
function fastCheck(script: string, args: string[], key: 'cmdsPerSec' | 'stepsPerSec'): Rate {
  const dir = peerDir('fast-check');
  try {
    const out = execFileSync('node', [script, ...args], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    const j = JSON.parse(out.split('\n')[0]!) as Record<string, number>;
    return { stepsPerSecond: j[key]!, detail: `${j['numRuns']} runs, ${j['ms']} ms` };
  } catch (e) {
    return { blocked: `${script} failed (${e instanceof Error ? e.message.split('\n')[0] : e})` };
  }
}

const show = (r: Rate) =>
  'blocked' in r ? `blocked: ${r.blocked}` : `${r.stepsPerSecond.toFixed(0).padStart(9)} steps/s  (${r.detail})`;
const ratio = (a: Rate, b: Rate) =>
  'blocked' in a || 'blocked' in b ? 'n/a' : `${(a.stepsPerSecond / b.stepsPerSecond).toFixed(2)}×`;

/** The simulation benchmark section. */
export async function simulateBench(): Promise<string[]> {
  const rounds = [0, 1, 2].map(() => ({
    random: ours('random', 40_000),
    fcModel: fastCheck('refcount-model.mjs', ['10000', '20', '0', 'max'], 'cmdsPerSec'),
    fcSched: fastCheck('refcount-sched.mjs', ['10000', '0'], 'stepsPerSec'),
  }));
  const random = median(rounds.map((r) => r.random));
  const fcModel = median(rounds.map((r) => r.fcModel));
  const fcSched = median(rounds.map((r) => r.fcSched));
  const pct = ours('pct', 40_000);
  const q = quint(1000);
  const perOp: Rate =
    'opsPerSecond' in random && random.opsPerSecond !== undefined
      ? { stepsPerSecond: random.opsPerSecond, detail: '' }
      : random;
  const big = simulate({
    inst: simInstance({ frames: 1024, threads: 16, steps: 100_000 }),
    runs: 2,
    steps: 100_000,
    seed: 1,
    scheduler: 'random',
    depth: 3,
  });
  return [
    '## Simulation: 3 threads × 2 frames, claim/get/drop, REF_COUNT_MAX 2, traces of ≤ 60 steps (same run; medians of 3 interleaved rounds)',
    `framecheck simulate, random:            ${show(random)}`,
    `framecheck simulate, PCT d=3:           ${show(pct)}`,
    `quint run (TypeScript backend):         ${show(q)}`,
    `fast-check fc.commands loop:            ${show(fcModel)}   (one command = one whole operation)`,
    `fast-check fc.scheduler() loop:         ${show(fcSched)}   (one atomic step per scheduled promise)`,
    `framecheck random / quint:              ${ratio(random, q)}   (goal ≥ 20×)`,
    `framecheck random / fc.commands loop:   ${ratio(random, fcModel)} per step, ${ratio(perOp, fcModel)} per operation   (goal ≥ 1×; a framecheck step is one atomic step of the real code, replayed and checked against every invariant and the spec; an fc.commands command is one whole operation on a bare model)`,
    `framecheck random / fc.scheduler loop:  ${ratio(random, fcSched)}`,
    '',
    `## Simulation at scale: 1,024 frames × 16 threads, 2 runs of ≤ 100,000 steps: ${big.stats.stepsPerSecond} steps/s (${big.stats.steps} steps, ${big.stats.seconds.toFixed(2)} s, ${big.verdict})`,
  ];
}
