/**
 * `conform`: runs framecheck's checkers on an implementation given through the conformance interface
 * — the contract suite, the model-based tests and the explorer on the default bounded instances —
 * and reports per job. The implementation conforms when every job passes.
 */
import { z } from 'zod';
import { CURRENT_LAYOUT, LEGACY_LAYOUT, regionShape } from '../../impl/meta/layout.ts';
import { AtomicsMemory, AtomicsMemory32 } from '../../impl/meta/memory.ts';
import { PAGE_SIZE } from '../../spec/vocab.ts';
import { implementationOptions, protocolOf } from './adapters.ts';
import { runContractSuite } from './contractSuite.ts';
import type { Trace } from '../check/trace.ts';
import { runDetails, type RunDetails } from '../check/RunDetails.ts';
import {
  DEFAULT_INSTANCES,
  defaultInstances,
  exploreInstance,
  LIMITS,
  type ExploreOutcome,
  type InstanceSpec,
} from './exploreJob.ts';
import { Guard, InterfaceBreach } from './guard.ts';
import type { ImplementationModule } from './Implementation.ts';
import type { SpecVersion } from '../contract/specOption.ts';
import { runModelJob } from './modelJob.ts';
import { rc11Job } from './rc11Job.ts';

/** One job's verdict; the explorer's violation comes with its minimized ITF trace. */
export type JobReport = Readonly<{
  job: 'contracts' | 'model' | 'explore' | 'explore-rc11';
  verdict: 'pass' | 'fail' | 'incomplete';
  summary: string;
  details: readonly string[];
  seconds: number;
  counterexample?: Trace;
}>;

/** The verdict on an implementation. */
export type ConformReport = Readonly<{
  implementation: string;
  protocol: 'current' | 'legacy';
  verdict: 'conforms' | 'fails' | 'incomplete';
  jobs: readonly JobReport[];
}>;

/** The conformance run's statistics: the implementation, its protocol and every job's report. */
export type ConformStats = Readonly<{
  implementation: string;
  protocol: 'current' | 'legacy';
  jobs: readonly Omit<JobReport, 'counterexample'>[];
}>;

/** What failed: the failing job, and the explorer's minimized trace when it was the explorer. */
export type ConformFailure = Readonly<{ job: JobReport['job']; trace: Trace | undefined }>;

/** A conformance run in the one result shape (src/check/RunDetails.ts): `conforms` is ok, `fails` a violation. */
export type ConformDetails = RunDetails<ConformStats, ConformFailure>;

/** The report as `RunDetails`: the verdict, the jobs as statistics, the first failing job as the counterexample. */
export function conformDetails(r: ConformReport): ConformDetails {
  const stats: ConformStats = {
    implementation: r.implementation,
    protocol: r.protocol,
    jobs: r.jobs.map(({ counterexample: _, ...j }) => j),
  };
  const bad = r.jobs.find((j) => j.verdict === 'fail');
  const cut = r.jobs.find((j) => j.verdict === 'incomplete');
  const verdict = r.verdict === 'conforms' ? 'ok' : r.verdict === 'fails' ? 'violation' : 'incomplete';
  return runDetails(
    verdict,
    stats,
    bad && { job: bad.job, trace: bad.counterexample },
    cut && `${cut.job}: ${cut.summary}`,
  );
}

/**
 * How much to run: the model job's runs and seed, the explorer's instances (default: three per
 * protocol), and a time limit for the whole run (then the verdict is `incomplete`, with what was done).
 */
export type ConformOptions = Readonly<{
  runs?: number;
  seed?: number;
  instances?: readonly InstanceSpec[];
  timeLimitMs?: number;
  /** The step budget of one operation (default `STEP_BUDGET`). */
  stepBudget?: number;
  /** `rc11` adds the weak-memory job: the module's orderings explored under RC11. */
  memoryModel?: 'sc' | 'rc11';
  /** The contract table the contracts job checks (`--spec`; default the seed's). */
  spec?: SpecVersion;
}>;

/** The module broke an interface rule (the message says which): the run proves nothing. */
export { InterfaceBreach } from './guard.ts';

const timed = (job: JobReport['job'], f: () => Omit<JobReport, 'job' | 'seconds'>): JobReport => {
  const t0 = performance.now();
  const r = f();
  return { job, ...r, seconds: (performance.now() - t0) / 1000 };
};

function contractsJob(m: ImplementationModule, spec: SpecVersion | undefined): JobReport {
  return timed('contracts', () => {
    const r = runContractSuite(m, spec);
    const bad = r.findings.filter((f) => f.blame !== 'caller');
    const details = r.findings.map((f) => `${f.scenario}: ${f.clause} (blame: ${f.blame}) — ${f.message}`);
    return {
      verdict: bad.length === 0 ? 'pass' : 'fail',
      summary: `${r.scenarios} scenarios through the contract layer, ${bad.length} violation(s)`,
      details,
    };
  });
}

function modelJob(m: ImplementationModule, o: ConformOptions, deadline: number): JobReport {
  return timed('model', () => {
    const left = deadline - performance.now();
    const r = runModelJob(m, { runs: o.runs ?? 200, seed: o.seed ?? 1, ...(left < Infinity && { timeLimitMs: left }) });
    if (r.ok && r.interrupted === true)
      return {
        verdict: 'incomplete',
        summary: `${r.runs} random command sequences agree with the sequential spec; --time-limit reached`,
        details: [],
      };
    if (r.ok)
      return {
        verdict: 'pass',
        summary: `${r.runs} random command sequences agree with the sequential spec`,
        details: [],
      };
    return {
      verdict: 'fail',
      summary: `run ${r.runs} disagrees with the sequential spec (seed ${o.seed ?? 1})`,
      details: [`shrunk to: ${r.counterexample}`, r.message],
    };
  });
}

function exploreJob(m: ImplementationModule, o: ConformOptions, deadline: number): JobReport {
  return timed('explore', () => {
    const outs: ExploreOutcome[] = [];
    for (const spec of o.instances ?? defaultInstances(protocolOf(m))) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      outs.push(exploreInstance(m, spec, { ...LIMITS, timeLimitMs: Math.min(LIMITS.timeLimitMs, left) }));
      if (outs.at(-1)!.verdict === 'violation') break;
    }
    const bad = outs.find((x) => x.verdict === 'violation');
    const states = outs.reduce((s, x) => s + x.states, 0);
    if (bad !== undefined) {
      const f = bad.finding!;
      const details = [
        `instance: ${bad.instance} (minimized to ${bad.minimized!.threads} thread(s), ${bad.minimized!.steps} step(s))`,
        `${f.property} (blame: ${f.blame}) — ${f.message}`,
        `  ${f.verus}`,
        ...(bad.timeline ?? []).map((l) => `  ${l}`),
      ];
      return { verdict: 'fail', summary: `violation on ${bad.instance}`, details, counterexample: bad.trace! };
    }
    const total = (o.instances ?? DEFAULT_INSTANCES[protocolOf(m)]).length;
    const incomplete = outs.length < total || outs.some((x) => x.verdict === 'incomplete');
    const why = outs.find((x) => x.reason !== undefined)?.reason ?? (outs.length < total ? '--time-limit reached' : '');
    return {
      verdict: incomplete ? 'incomplete' : 'pass',
      summary: `${outs.length} of ${total} instances, ${states} states, ${incomplete ? why : 'no violation'}`,
      details: outs.map((x) => `${x.instance}: ${x.verdict}${x.reason ? ` (${x.reason})` : ''}, ${x.states} states`),
    };
  });
}

/** A job skipped because the time limit was reached before it started. */
const skipped = (job: JobReport['job']): JobReport => ({
  job,
  verdict: 'incomplete',
  summary: 'not run: --time-limit reached',
  details: [],
  seconds: 0,
});

/**
 * Runs every job on `m`, with the interface rules enforced around it (`Guard`). Throws
 * `InterfaceBreach` when the module broke a rule that voids the run (it caught the explorer's pause,
 * called `process.exit`, …).
 */
export function conform(m: ImplementationModule, o: ConformOptions = {}): ConformReport {
  const guard = new Guard(o.stepBudget);
  const g = guard.wrap(m);
  const deadline = performance.now() + (o.timeLimitMs ?? Infinity);
  const jobs: JobReport[] = [];
  const steps: readonly [JobReport['job'], () => JobReport][] = [
    ['contracts', () => contractsJob(g, o.spec)],
    ['model', () => modelJob(g, o, deadline)],
    ['explore', () => exploreJob(g, o, deadline)],
    ...(o.memoryModel === 'rc11'
      ? [
          ['explore-rc11', () => timed('explore-rc11', () => rc11Job(g, deadline))] as [
            JobReport['job'],
            () => JobReport,
          ],
        ]
      : []),
  ];
  for (const [job, run] of steps) {
    jobs.push(performance.now() >= deadline ? skipped(job) : run());
    if (guard.breach !== undefined) throw new InterfaceBreach(guard.breach);
  }
  const verdict = jobs.some((j) => j.verdict === 'fail')
    ? 'fails'
    : jobs.some((j) => j.verdict === 'incomplete')
      ? 'incomplete'
      : 'conforms';
  return { implementation: m.name ?? 'implementation', protocol: protocolOf(m), verdict, jobs };
}

const ModuleShape = z.object({
  createImplementation: z.custom<ImplementationModule['createImplementation']>(
    (v) => typeof v === 'function',
    'must be a function',
  ),
  protocol: z.enum(['current', 'legacy'], 'must be current or legacy').optional(),
  name: z.string('must be a string').optional(),
});

const REQUIRED = ['fromUnused', 'fromInUse', 'clone', 'drop'] as const;
const UNIQUE = ['uniqueFromUnused', 'intoShared', 'tryIntoUnique', 'dropUnique'] as const;

/** What `createImplementation` returns lacks, for `protocol`. */
function probe(m: ImplementationModule): string | undefined {
  const protocol = protocolOf(m);
  const layout = protocol === 'legacy' ? LEGACY_LAYOUT : CURRENT_LAYOUT;
  const shape = regionShape(layout, 2);
  const o = implementationOptions(
    layout.width === 64 ? new AtomicsMemory(shape) : new AtomicsMemory32(shape),
    protocol,
    2 * PAGE_SIZE,
    3n,
    () => {},
  );
  let ops: unknown;
  const guard = new Guard();
  try {
    ops = guard.wrap(m).createImplementation(o);
  } catch (e) {
    if (guard.breach !== undefined) return guard.breach;
    return `createImplementation threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
  if (typeof ops !== 'object' || ops === null) return 'createImplementation must return an object of operations';
  const names = protocol === 'legacy' ? REQUIRED : [...REQUIRED, ...UNIQUE];
  const missing = names.filter((k) => typeof (ops as Record<string, unknown>)[k] !== 'function');
  return missing.length === 0
    ? undefined
    : `createImplementation returned no ${missing.join(', ')} (the ${protocol} protocol needs ${names.join(', ')})`;
}

/** `x` (a module namespace, or its default export) as an implementation module, or why it is not one. */
export function asModule(x: unknown, name: string): ImplementationModule | { error: string } {
  const candidate =
    typeof x === 'object' && x !== null && !('createImplementation' in x) && 'default' in x
      ? (x as { default: unknown }).default
      : x;
  const shape = ModuleShape.safeParse(candidate);
  if (!shape.success) {
    const issue = shape.error.issues[0]!;
    return {
      error: `${issue.path.join('.') || 'module'}: ${issue.message} (a module exports createImplementation(options); see README "Writing an implementation for framecheck conform")`,
    };
  }
  const m: ImplementationModule = {
    name: shape.data.name ?? name,
    ...(shape.data.protocol !== undefined && { protocol: shape.data.protocol }),
    createImplementation: shape.data.createImplementation,
  };
  const why = probe(m);
  return why === undefined ? m : { error: why };
}
