/**
 * Runs the SPIN peer model (`bench/peers/spin/refcount.pml`) in a temporary directory: `spin -a`,
 * `gcc`, `./pan`, optionally with a text patch that seeds one of framecheck's mutants into the model.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peerDir } from '../bench/peers/index.ts';
import { missingTool } from './systemTools.ts';

/** Where the peer model lives (in this repository). */
export const SPIN_MODEL = join(peerDir('spin'), 'refcount.pml');

export type SpinRun = Readonly<{
  errors: number;
  states: number;
  seconds: number;
  statesPerSecond: number;
  wallSeconds: number;
  /** pan was stopped by `timeoutMs` (or ran out of memory) before it had explored everything. */
  incomplete: boolean;
}>;

export type SpinOptions = Readonly<{
  defines?: readonly string[];
  gcc?: readonly string[];
  pan?: readonly string[];
  /** Stops pan with SIGINT after this long (pan then prints what it has explored). */
  timeoutMs?: number;
  /** Replacements applied to the model text (a seeded bug). */
  patch?: readonly (readonly [string, string])[];
}>;

/** Runs SPIN on the peer model and parses pan's summary. */
export function runSpin(opts: SpinOptions = {}): SpinRun {
  const dir = mkdtempSync(join(tmpdir(), 'framecheck-spin-'));
  try {
    let text = readFileSync(SPIN_MODEL, 'utf8');
    for (const [from, to] of opts.patch ?? []) {
      if (!text.includes(from)) throw new Error(`patch does not apply: ${from}`);
      text = text.replace(from, to);
    }
    writeFileSync(join(dir, 'refcount.pml'), text);
    const run = (cmd: string, args: readonly string[]) =>
      execFileSync(cmd, args, { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe'] });
    run('spin', [...(opts.defines ?? []).map((d) => `-D${d}`), '-a', 'refcount.pml']);
    run('gcc', ['-O2', '-w', ...(opts.gcc ?? ['-DSAFETY']), '-o', 'pan', 'pan.c']);
    const t0 = performance.now();
    // pan writes to a file: stopped by the timeout it still prints its statistics (a pipe would be gone).
    const fd = openSync(join(dir, 'pan.out'), 'w');
    try {
      execFileSync('./pan', opts.pan ?? ['-m1000000', '-w24'], {
        cwd: dir,
        stdio: ['ignore', fd, 'pipe'],
        ...(opts.timeoutMs !== undefined && { timeout: opts.timeoutMs, killSignal: 'SIGINT' as const }),
      });
    } catch {
      // An error trail or a stop: the summary says which.
    } finally {
      closeSync(fd);
    }
    const out = readFileSync(join(dir, 'pan.out'), 'utf8');
    const wallSeconds = (performance.now() - t0) / 1000;
    const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? Number.NaN);
    return {
      errors: num(/errors: (\d+)/),
      states: num(/(\d+) states, stored/),
      seconds: num(/elapsed time ([\d.e+-]+)/),
      statesPerSecond: num(/rate\s+([\d.e+-]+) states\/second/),
      wallSeconds,
      incomplete: /Search not completed|Interrupted|out of memory|MEMLIM bound/i.test(out),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Why SPIN cannot run here (a one-line "install X"), or undefined when spin and gcc are installed. */
export function spinMissing(): string | undefined {
  const install = 'apt-get install -y spin gcc';
  return (
    missingTool('spin', ['-V'], install) ??
    missingTool('gcc', ['--version'], install) ??
    (existsSync(SPIN_MODEL) ? undefined : `the peer model ${SPIN_MODEL} is missing`)
  );
}

/** The patches that seed framecheck's mutants into the SPIN model. */
export const SPIN_MUTANTS: Readonly<Record<string, SpinOptions>> = {
  from_in_use_accepts_zero: { defines: ['BUG_NO_BUSY'] },
  no_overflow_abort: { patch: [[':: v >= REF_MAX -> d_step { aborts++ }; goto stop /* overflow: abort() */', '']] },
  unused_before_meta_drop: {
    patch: [
      [
        `           :: v == 1 ->                                 /* last reference */
               d_step { meta_init[s] = 0; assert(INV(s)) };   /* drop metadata */
               d_step { rc[s] = UNUSED; busy[s]--; assert(INV(s)) }`,
        `           :: v == 1 ->                                 /* last reference */
               d_step { rc[s] = UNUSED; busy[s]--; assert(INV(s)) };
               d_step { meta_init[s] = 0; assert(INV(s)) }`,
      ],
    ],
  },
};
