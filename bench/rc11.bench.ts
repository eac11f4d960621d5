/**
 * The cost of weak memory: the same instances explored under sequential consistency and under RC11 in
 * one run (states, time, ratios), and the litmus suite's total time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildInstance } from '../src/check/instance.ts';
import { explore } from '../src/check/explore/search.ts';
import { parseLitmus } from '../src/litmus/parseLitmus.ts';
import { runLitmus } from '../src/litmus/runLitmus.ts';
import { exploreImplRc11 } from '../src/memory/rc11/exploreImpl.ts';
import { AUDIT_INSTANCES } from '../src/memory/rc11/orderingAudit.ts';
import { rc11Programs } from '../src/cli/commands/checkRc11.ts';

const LIMITS = { maxStates: 20_000_000, timeLimitMs: 600_000, maxMemoryBytes: 8 * 2 ** 30 };

function seconds<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, (performance.now() - t) / 1000];
}

/** One instance both ways: the SC explorer (all reductions) and the RC11 explorer (capped at `rc11Max` states). */
function both(name: string, flags: Parameters<typeof buildInstance>[0], rc11Max: number): string {
  const inst = buildInstance(flags, () => false);
  const [sc, tSc] = seconds(() => explore(inst, { limits: LIMITS }));
  const [rc, tRc] = seconds(() =>
    exploreImplRc11({
      frames: inst.frames,
      programs: rc11Programs(inst),
      variant: inst.variant,
      refCountMax: inst.refCountMax,
      maxStates: rc11Max,
    }),
  );
  const perState = tRc / rc.states / (tSc / sc.states);
  return `| ${name} | ${sc.verdict}, ${sc.states} states, ${tSc.toFixed(2)} s | ${rc.verdict}, ${rc.states} states (${rc.executions} executions), ${tRc.toFixed(2)} s | ${(tRc / tSc).toFixed(1)}× | ${perState.toFixed(1)}× |`;
}

export async function rc11Bench(): Promise<string[]> {
  const out = [
    '## weak memory: RC11 vs SC, same run',
    '| instance | sc | rc11 | time rc11/sc | time per state rc11/sc |',
    '|---|---|---|---|---|',
  ];
  for (const [name, programs] of Object.entries(AUDIT_INSTANCES)) {
    const program = programs.map((steps, t) => `${t}:${steps.map((s) => `${s.op}@${s.frame}`).join(',')}`).join(';');
    out.push(both(`audit: ${name}`, { frames: 1, threads: 2, program, refCountMax: 16 }, 1_000_000));
  }
  out.push(
    both(
      'canonical (rc11 capped at 50,000 states)',
      { frames: 2, threads: 3, depth: 3, ops: 'from_unused,from_in_use,drop', refCountMax: 2 },
      50_000,
    ),
  );
  const dir = join(import.meta.dirname, '../../litmus');
  const files = [
    ...readdirSync(dir).map((f) => join(dir, f)),
    ...readdirSync(join(dir, 'ostd')).map((f) => join(dir, 'ostd', f)),
  ];
  const tests = files.filter((f) => f.endsWith('.litmus'));
  const [runs, t] = seconds(() => tests.map((f) => runLitmus(parseLitmus(readFileSync(f, 'utf8')))));
  const executions = runs.reduce((n, r) => n + r.executions, 0);
  out.push('', `litmus suite: ${tests.length} tests, ${executions} consistent executions, ${t.toFixed(2)} s in all`);
  return out;
}
