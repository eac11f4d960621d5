/**
 * How much the contract layer checks per call, and how a user picks it.
 *
 * - `full`: every clause of the op, the refinement `final == next(old)`, the slot and region
 *   invariants of the touched slots, and the accounting invariant.
 * - `cheap`: the op's Verus requires/ensures/may_panic clauses and the slot invariant.
 * - `sample:N`: one call in N checked at level `full`, chosen deterministically from a seed; the other
 *   calls only keep the ghost state in step with memory (for long soak runs).
 */

/** A contract level: `full`, `cheap`, or `sample:N` (N ≥ 1). */
export type ContractLevel = 'full' | 'cheap' | `sample:${number}`;

/** An unknown level name or a malformed `sample:N`: the value is named in the message. */
export class ContractLevelError extends Error {
  readonly value: string;
  constructor(value: string, where: string) {
    super(`${where}: unknown contract level '${value}' (expected full, cheap or sample:N with N a positive integer)`);
    this.name = 'ContractLevelError';
    this.value = value;
  }
}

/**
 * Parses a level as a user writes it: `full`, `cheap`, `sample:N` or `sample=N` (N a positive integer).
 * Anything else throws a `ContractLevelError` naming the value: never a silent fallback.
 */
export function parseContractLevel(value: string, where = 'contract level'): ContractLevel {
  if (value === 'full' || value === 'cheap') return value;
  const m = /^sample[:=]([1-9][0-9]{0,8})$/.exec(value);
  if (m === null) throw new ContractLevelError(value, where);
  return `sample:${Number(m[1])}`;
}

/** The sampling period of a level: N for `sample:N`, 1 for `full`, 0 for `cheap` (never checked fully by sampling). */
export function samplePeriod(level: ContractLevel): number {
  if (level === 'full') return 1;
  if (level === 'cheap') return 0;
  return Number(level.slice('sample:'.length));
}

/**
 * The level `FRAMECHECK_CONTRACTS` asks for, or `undefined` when contracts are off (`0`, empty or
 * unset). `1` means `full`; an unknown value throws a `ContractLevelError`.
 */
export function levelFromEnv(value: string | undefined): ContractLevel | undefined {
  if (value === undefined || value === '' || value === '0') return undefined;
  if (value === '1') return 'full';
  return parseContractLevel(value, 'FRAMECHECK_CONTRACTS');
}

/**
 * Picks which calls a `sample:N` level checks fully: exactly one in each block of N consecutive calls,
 * at an offset drawn from a xorshift32 stream seeded by `seed` (the same seed, the same calls).
 */
export class Sampler {
  private readonly period: number;
  private state: number;
  private pick = 0;
  private k = 0;

  constructor(period: number, seed = 1) {
    this.period = period;
    this.state = (seed | 0) === 0 ? 0x9e3779b9 : seed | 0;
    this.nextBlock();
  }

  /** Whether the next call is checked fully. */
  next(): boolean {
    if (this.period <= 1) return this.period === 1;
    const hit = this.k === this.pick;
    if (++this.k === this.period) this.nextBlock();
    return hit;
  }

  private nextBlock(): void {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x;
    this.k = 0;
    this.pick = this.period <= 1 ? 0 : (x >>> 0) % this.period;
  }
}
