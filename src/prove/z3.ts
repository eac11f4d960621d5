/**
 * One Z3 session per run: the WASM build of Z3 (`z3-solver`), loaded on first use.
 *
 * Z3 runs its checks on Emscripten worker threads that keep Node alive after the work is done, so a
 * session must be closed (`closeZ3`): it terminates every worker. A closed session cannot run another
 * check; the next `openZ3` loads a fresh instance.
 */
import type { Z3 } from './Obligation.ts';

type Api = Readonly<{ em: unknown; Context: new (name: 'framecheck') => Z3 }>;

let session: Promise<{ api: Api; z: Z3 }> | undefined;

async function load(): Promise<{ api: Api; z: Z3 }> {
  const { init } = await import('z3-solver');
  const api = (await init()) as unknown as Api;
  return { api, z: new api.Context('framecheck') };
}

/** The session's context, loading Z3 when no session is open. */
export async function openZ3(): Promise<Z3> {
  session ??= load();
  return (await session).z;
}

/** Ends the session: terminates Z3's worker threads so the process can exit. Idempotent. */
export async function closeZ3(): Promise<void> {
  const s = session;
  session = undefined;
  if (s === undefined) return;
  const { api } = await s;
  const { killThreads } = await import('z3-solver');
  // killThreads rejects when workers do not stop within 5 s; the process exits regardless then.
  await killThreads(api.em).catch(() => undefined);
}
