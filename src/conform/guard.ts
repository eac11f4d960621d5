/**
 * The interface rules of `Implementation.ts`, enforced around a module: every memory access, metadata
 * write, deallocation and `process.exit` of an implementation goes through a `Guard`, which
 *
 * - counts an operation's steps and stops one that does not return within its budget (rule 6),
 * - stops an access to another slot than the operation's own, naming it (rule 5),
 * - observes an implementation swallowing the exception a memory access threw — the explorer's pause,
 *   or the guard's own stop (rule 2) — or taking another path when re-run (rule 1),
 * - turns `process.exit` during module load, a factory or an operation into a breach (rule 7).
 *
 * Wrong slots and budgets are bugs of the implementation (a failed job, exit 1); a breach makes the
 * run meaningless, so it is recorded once and the run is void (exit 2).
 */
import type { SlotLayout } from '../../impl/meta/layout.ts';
import type { Memory, Ordering } from '../../impl/meta/memory.ts';
import { PAGE_SIZE } from '../../impl/meta/pageSize.ts';
import type { FrameOps, ImplementationModule, ImplementationOptions } from './Implementation.ts';

/** The interface rules, by number (docs/conform.md and `Implementation.ts` number them the same). */
export const RULES = {
  1: 'an operation is a deterministic function of what it reads',
  2: 'an implementation must not catch the exception the explorer throws to pause at a memory access',
  5: 'an operation on a frame touches only that frame’s slot',
  6: 'an operation returns within its step budget',
  7: 'an implementation never calls process.exit',
} as const;

/** A module broke an interface rule that makes checking it meaningless (bad input: exit 2). */
export class InterfaceBreach extends Error {
  override readonly name = 'InterfaceBreach';
}

/** An operation that did not return within its step budget: it spins (a bug: exit 1). */
export class Livelock extends Error {
  override readonly name = 'Livelock';
}

/** An operation that touched another slot than its own (a bug: exit 1). */
export class WrongSlot extends Error {
  override readonly name = 'WrongSlot';
}

/** How many interface steps (accesses, fences, metadata writes, deallocations) one operation may make. */
export const STEP_BUDGET = 100_000;

/** What an operation is allowed to touch while it runs. */
type Running = { what: string; slot: number; left: number; thrown: unknown };

const describe = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/** Enforces the interface rules around the modules it wraps; remembers the first breach. */
export class Guard {
  /** The first breach observed: then the run proves nothing. */
  breach: string | undefined;
  readonly stepBudget: number;

  constructor(stepBudget = STEP_BUDGET) {
    this.stepBudget = stepBudget;
  }

  /** Records a breach of `rule` and stops the caller. */
  private broke(rule: keyof typeof RULES, what: string): never {
    const msg = `the module breaks interface rule ${rule} (${RULES[rule]}): ${what}`;
    this.breach ??= msg;
    throw new InterfaceBreach(msg);
  }

  /** Runs `f` with `process.exit` turned into a breach (`where`: "in createImplementation", …). */
  intercept<T>(where: string, f: () => T): T {
    const real = process.exit;
    process.exit = ((code?: number | string | null) =>
      this.broke(7, `it called process.exit(${code ?? ''}) ${where}`)) as typeof process.exit;
    try {
      return f();
    } finally {
      process.exit = real;
    }
  }

  /** Awaits `p` (a module import) with `process.exit` turned into a breach. */
  async interceptAsync<T>(where: string, p: () => Promise<T>): Promise<T> {
    const real = process.exit;
    process.exit = ((code?: number | string | null) =>
      this.broke(7, `it called process.exit(${code ?? ''}) ${where}`)) as typeof process.exit;
    try {
      return await p();
    } finally {
      process.exit = real;
    }
  }

  /** `m` with every factory and operation call guarded. */
  wrap(m: ImplementationModule): ImplementationModule {
    return {
      ...m,
      createImplementation: (o) => {
        const mem = new GuardedMemory(o.memory, o.layout, Math.ceil(o.maxPaddr / PAGE_SIZE), this);
        const run: Running = { what: 'createImplementation', slot: -1, left: Infinity, thrown: undefined };
        mem.running = run;
        const inner: ImplementationOptions = {
          ...o,
          memory: mem,
          metadata: {
            write: (slot, meta) => (mem.own(slot, 'metadata.write'), o.metadata.write(slot, meta)),
            drop: (slot) => (mem.own(slot, 'metadata.drop'), o.metadata.drop(slot)),
          },
          dealloc: (paddr) => (mem.own(paddr / PAGE_SIZE, `dealloc(0x${paddr.toString(16)})`), o.dealloc(paddr)),
        };
        const ops = this.intercept('in createImplementation', () => m.createImplementation(inner));
        mem.running = undefined;
        if (typeof ops !== 'object' || ops === null) return ops;
        return this.guardOps(ops, mem, o.maxPaddr);
      },
    };
  }

  private guardOps(ops: FrameOps, mem: GuardedMemory, maxPaddr: number): FrameOps {
    const bySlot = (s: number) => s;
    const byAddr = (p: number) =>
      Number.isInteger(p) && p % PAGE_SIZE === 0 && p >= 0 && p < maxPaddr ? p / PAGE_SIZE : -1;
    const show = (name: string, a: number, addr: boolean) => `${name}(${addr ? `0x${a.toString(16)}` : a})`;
    const g = <A extends [number, ...unknown[]], R>(name: string, addr: boolean, f: ((...a: A) => R) | undefined) =>
      f === undefined || typeof f !== 'function'
        ? f
        : (...a: A): R => {
            const what = show(name, a[0], addr);
            const prev = mem.running;
            const run: Running = {
              what,
              slot: (addr ? byAddr : bySlot)(a[0]),
              left: this.stepBudget,
              thrown: undefined,
            };
            mem.running = run;
            try {
              return this.intercept(`in ${what}`, () => {
                let r: R;
                try {
                  r = f(...a);
                } catch (e) {
                  if (run.thrown !== undefined && e !== run.thrown) this.swallowed(what, run.thrown, e);
                  throw e;
                }
                if (run.thrown !== undefined) this.swallowed(what, run.thrown, undefined);
                return r;
              });
            } finally {
              mem.running = prev;
            }
          };
    const out: Record<string, unknown> = { ...ops };
    for (const k of ['fromUnused', 'fromInUse', 'uniqueFromUnused'] as const) out[k] = g(k, true, ops[k]);
    for (const k of ['clone', 'drop', 'intoShared', 'tryIntoUnique', 'dropUnique'] as const)
      out[k] = g(k, false, ops[k]);
    return out as FrameOps;
  }

  /** An operation went on after a memory access threw `thrown` (it returned, or threw `instead`). */
  private swallowed(what: string, thrown: unknown, instead: unknown): never {
    if (thrown instanceof Error && thrown.message.startsWith('replay diverged'))
      this.broke(1, `${what} took another path when re-run against the same values (${thrown.message})`);
    const how = instead === undefined ? 'returned' : `threw ${describe(instead)} instead`;
    const which = typeof thrown === 'symbol' ? 'the explorer’s pause' : describe(thrown);
    this.broke(2, `${what} caught the exception a memory access threw (${which}) and ${how}`);
  }
}

const WORD_NAMES = (L: SlotLayout, k: number): string =>
  k === L.refCount ? 'ref_count' : k === L.vtable ? 'vtable_ptr' : k === L.inList ? 'in_list' : `word ${k}`;

/** The memory an implementation gets: every access is a step of the running operation, on its own slot. */
class GuardedMemory implements Memory {
  running: Running | undefined;
  private readonly base: Memory;
  private readonly layout: SlotLayout;
  private readonly slots: number;
  private readonly guard: Guard;

  constructor(base: Memory, layout: SlotLayout, slots: number, guard: Guard) {
    this.base = base;
    this.layout = layout;
    this.slots = slots;
    this.guard = guard;
  }

  /** Stops the running operation with `e`, remembering it (to see whether the operation swallows it). */
  private stop(e: Error): never {
    if (this.running !== undefined) this.running.thrown = e;
    throw e;
  }

  /** One step of the running operation, which may touch only slot `slot` (`what` names the access). */
  own(slot: number, what: string): void {
    const r = this.running;
    if (r === undefined || r.what === 'createImplementation') return;
    if (--r.left < 0)
      this.stop(new Livelock(`operation ${r.what} did not return within ${this.guard.stepBudget} steps`));
    if (slot === r.slot) return;
    const beyond =
      slot < 0 || slot >= this.slots || !Number.isInteger(slot) ? `, beyond the region's ${this.slots} slot(s)` : '';
    const mine =
      r.slot < 0
        ? 'an address without a slot touches no slot'
        : `an operation on frame ${r.slot} touches only slot ${r.slot}`;
    this.stop(new WrongSlot(`${r.what} accessed slot ${slot}${beyond} (${what}): ${mine}`));
  }

  private at<T>(word: number, kind: string, f: () => T): T {
    const L = this.layout;
    const slot = Math.floor(word / L.wordsPerSlot);
    this.own(slot, `${kind} of its ${WORD_NAMES(L, word - slot * L.wordsPerSlot)}`);
    try {
      return f();
    } catch (e) {
      if (this.running !== undefined) this.running.thrown = e;
      throw e;
    }
  }

  load(w: number, o: Ordering): bigint {
    return this.at(w, 'load', () => this.base.load(w, o));
  }
  store(w: number, v: bigint, o: Ordering): void {
    this.at(w, 'store', () => this.base.store(w, v, o));
  }
  compareExchange(w: number, e: bigint, d: bigint, o: Ordering): bigint {
    return this.at(w, 'compare_exchange', () => this.base.compareExchange(w, e, d, o));
  }
  compareExchangeWeak(w: number, e: bigint, d: bigint, o: Ordering): bigint {
    return this.at(w, 'compare_exchange_weak', () => this.base.compareExchangeWeak(w, e, d, o));
  }
  fetchAdd(w: number, d: bigint, o: Ordering): bigint {
    return this.at(w, 'fetch_add', () => this.base.fetchAdd(w, d, o));
  }
  fetchSub(w: number, d: bigint, o: Ordering): bigint {
    return this.at(w, 'fetch_sub', () => this.base.fetchSub(w, d, o));
  }
  fence(o: Ordering): void {
    const r = this.running;
    if (r !== undefined && r.what !== 'createImplementation' && --r.left < 0)
      this.stop(new Livelock(`operation ${r.what} did not return within ${this.guard.stepBudget} steps`));
    this.base.fence(o);
  }
  readPlain(w: number): bigint {
    return this.at(w, 'plain read', () => this.base.readPlain(w));
  }
  writePlain(w: number, v: bigint): void {
    this.at(w, 'plain write', () => this.base.writePlain(w, v));
  }
}
