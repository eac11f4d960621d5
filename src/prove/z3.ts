/**
 * One Z3 session per run: the WASM build of Z3 (`z3-solver`), loaded on first use.
 *
 * Z3 runs its checks on Emscripten worker threads that keep Node alive after the work is done, so a
 * session must be closed (`closeZ3`): it lets go of every worker (`unref`), so the process can exit, and
 * keeps the instance for the next `openZ3`. The workers are not terminated: the API frees each Z3 object
 * from a `FinalizationRegistry` callback, and one that ran after its instance's threads were killed
 * crashed the process ("memory access out of bounds" in `dec_ref`) when a second session was opened in it.
 *
 * `z3-solver` is an optional dependency that only `prove` (and the proofs' tests) load: when it is not
 * installed, `openZ3` throws a `UsageError` saying how to install it (one line, exit 2 at the CLI).
 */
import { UsageError } from '../cli/args.ts';
import type { Z3 } from './Obligation.ts';

type Api = Readonly<{ em: unknown; Context: new (name: 'framecheck') => Z3 }>;
type Z3Module = typeof import('z3-solver');

let session: Promise<{ api: Api; z: Z3 }> | undefined;

/** The one line printed when `z3-solver` cannot be loaded. */
export const Z3_MISSING = 'z3-solver is not installed: npm install z3-solver';

/**
 * Imports the Z3 module (`specifier` exists for tests); a missing package becomes a `UsageError`
 * with `Z3_MISSING`, any other failure propagates.
 */
export async function importZ3(specifier = 'z3-solver'): Promise<Z3Module> {
  try {
    return (await import(specifier)) as Z3Module;
  } catch (e) {
    const code = (e as { code?: unknown } | undefined)?.code;
    const message = e instanceof Error ? e.message : String(e);
    if (
      code === 'ERR_MODULE_NOT_FOUND' ||
      (message.includes(specifier) && /cannot find|failed to (load|resolve)/i.test(message))
    )
      throw new UsageError(Z3_MISSING);
    throw e;
  }
}

async function load(): Promise<{ api: Api; z: Z3 }> {
  const { init } = await importZ3();
  const api = (await init()) as unknown as Api;
  return { api, z: new api.Context('framecheck') };
}

/** The session's context, loading Z3 when no session is open (a failed load is not kept). */
export async function openZ3(): Promise<Z3> {
  const s = (session ??= load());
  try {
    return (await s).z;
  } catch (e) {
    if (session === s) session = undefined;
    throw e;
  }
}

/** Ends the session: lets go of Z3's worker threads so the process can exit. Idempotent. */
export async function closeZ3(): Promise<void> {
  const s = session;
  if (s === undefined) return;
  const { api } = await s;
  const { PThread } = api.em as { PThread?: { unusedWorkers?: Unrefable[]; runningWorkers?: Unrefable[] } };
  for (const w of [...(PThread?.unusedWorkers ?? []), ...(PThread?.runningWorkers ?? [])]) w.unref?.();
}

type Unrefable = { unref?: () => void };
