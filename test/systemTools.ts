/**
 * The system suite's tool check: a `*.system.test.ts` file whose tool is missing fails with one
 * line saying what to install, never a silent skip.
 */
import { execFileSync } from 'node:child_process';

/** Why `command` cannot run (`"<command> not found: <install>"`), or undefined when it runs. */
export function missingTool(command: string, versionArgs: readonly string[], install: string): string | undefined {
  try {
    execFileSync(command, versionArgs, { stdio: 'ignore', timeout: 60_000 });
    return undefined;
  } catch {
    return `${command} not found: ${install}`;
  }
}

/** Throws a one-line error (no stack frames) naming what to install when any of `missing` is set. */
export function requireTools(...missing: readonly (string | undefined)[]): void {
  const why = missing.filter((m): m is string => m !== undefined);
  if (why.length === 0) return;
  const e = new Error(why.join('; '));
  e.stack = `Error: ${e.message}`;
  throw e;
}
