/**
 * Ghost permissions: values with identity, as Verus `Tracked` tokens.
 *
 * `PermissionU64` stands for vstd's atomic permission, `CellPointsTo` for a `pcell_maybe_uninit`
 * permission, `PointsTo` for a `simple_pptr` permission. Permissions are frozen values; `wf` relations
 * compare their `id`s (or addresses), exactly as vostd's `MetaSlot::wf` does.
 *
 * In debug builds, tokens handed across an API boundary are *linear*: `LinearTokens` records each one
 * minted and fails when one is used again after being consumed, or is still outstanding when the
 * caller said everything was returned.
 *
 * @see vstd `atomic::PermissionU64`, `cell::pcell_maybe_uninit::PointsTo`, `simple_pptr::PointsTo`
 */
import type { Vaddr } from '../vocab.ts';

/** `MemContents<T>`: `Init(v)` or `Uninit`. */
export type MemContents<T> = Readonly<{ init: true; value: T }> | Readonly<{ init: false }>;

export const UNINIT: MemContents<never> = Object.freeze({ init: false });

/** `Init(value)`. */
export function init<T>(value: T): MemContents<T> {
  return Object.freeze({ init: true, value });
}

/** vstd `PermissionU64`: the permission to an atomic u64 cell with identity `id`, holding `value`. */
export type PermissionU64 = Readonly<{ id: number; value: bigint }>;

/** vstd `pcell_maybe_uninit::PointsTo<T>`: the permission to a cell with identity `id`. */
export type CellPointsTo<T> = Readonly<{ id: number; contents: MemContents<T> }>;

/** vstd `simple_pptr::PointsTo<T>`: the permission to the memory at `addr` (its `pptr()` is `addr`). */
export type PointsTo<T> = Readonly<{ addr: Vaddr; contents: MemContents<T> }>;

/** A `PermissionU64` value. */
export function permissionU64(id: number, value: bigint): PermissionU64 {
  return Object.freeze({ id, value });
}

/** `perm.is_init()`. */
export function isInit<T>(perm: Readonly<{ contents: MemContents<T> }>): boolean {
  return perm.contents.init;
}

/** `perm.value()`: meaningful only when initialized; `undefined` otherwise. */
export function valueOf<T>(perm: Readonly<{ contents: MemContents<T> }>): T | undefined {
  return perm.contents.init ? perm.contents.value : undefined;
}

/** Verus `==` on ghost values: structural equality (bigints by value, sets by members). */
export function ghostEq(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'bigint' || typeof b === 'bigint') return false;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Set || b instanceof Set) {
    if (!(a instanceof Set && b instanceof Set) || a.size !== b.size) return false;
    for (const x of a) if (!b.has(x)) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k of ka) if (!Object.hasOwn(rb, k) || !ghostEq(ra[k], rb[k])) return false;
  return true;
}

/** `a == b` on two `PermissionU64`s. */
export function permEq(a: PermissionU64, b: PermissionU64): boolean {
  return a === b || (a.id === b.id && a.value === b.value);
}

/** `a == b` on two cell or pointer permissions (contents compared structurally). */
export function contentsEq<T>(a: MemContents<T>, b: MemContents<T>): boolean {
  if (a === b) return true;
  if (!a.init || !b.init) return a.init === b.init;
  return ghostEq(a.value, b.value);
}

/** A linearity violation: a tracked token used after it was consumed, or never returned. */
export type LinearityViolation = Readonly<{ kind: 'reused' | 'leaked'; token: string; by: string }>;

/**
 * A registry of linear tracked tokens (debug builds only).
 *
 * `mint` returns a fresh token name; `consume` marks it used and reports a `reused` violation when it
 * already was; `outstanding` lists the tokens never consumed (a `leaked` violation at a quiescent point).
 */
export class LinearTokens {
  private next = 0;
  private readonly live = new Map<string, string>();
  private readonly dead = new Set<string>();

  /** Mints a token describing `what`, returning its identity. */
  mint(what: string): string {
    const token = `${what}#${this.next++}`;
    this.live.set(token, what);
    return token;
  }

  /** Consumes `token`; returns a violation when it was consumed before (or never minted). */
  consume(token: string, by: string): LinearityViolation | undefined {
    if (!this.live.delete(token)) return { kind: 'reused', token, by };
    this.dead.add(token);
    return undefined;
  }

  /** Tokens minted and never consumed. */
  outstanding(): LinearityViolation[] {
    return [...this.live.keys()].map((token) => ({ kind: 'leaked', token, by: 'caller' }) as const);
  }
}
