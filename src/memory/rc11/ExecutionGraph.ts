/**
 * An RC11 execution graph (Lahav et al., "Repairing Sequential Consistency in C/C++11", PLDI 2017):
 * the events of each thread in program order, the write each read reads from (`rf`), and per location
 * the coherence order of its writes (`mo`). A graph is built one event at a time — each read reading from
 * a write already in the graph, each write placed at some position of its location's `mo` — so every
 * graph built is `(po ∪ rf)`-acyclic by construction, and every RC11-consistent execution of a program
 * is reached by adding its events in a topological order of `po ∪ rf`. Consistency is prefix-closed, so
 * an inconsistent partial graph is pruned at once (GenMC's discipline, without its revisits).
 *
 * Graphs are immutable: `extend` returns a new graph sharing nothing mutable with the old one.
 */

/** C11 memory orders (consume is read as acquire). `na` is a non-atomic (plain) access. */
export type MemOrder = 'na' | 'rlx' | 'acq' | 'rel' | 'acq_rel' | 'sc';

/** `R` read, `W` write, `U` read-modify-write (a successful RMW: one event that reads and writes), `F` fence. */
export type EventKind = 'R' | 'W' | 'U' | 'F';

export type GraphEvent = Readonly<{
  /** The thread, or -1 for an initialization write. */
  thread: number;
  /** Position in the thread's program order. */
  index: number;
  kind: EventKind;
  /** Location name (empty for a fence). */
  loc: string;
  order: MemOrder;
  /** The value read (R, U). */
  read?: bigint;
  /** The value written (W, U). */
  written?: bigint;
  /** What the event stands for, for reports: an op name, a Rust item, a source line. */
  label?: string;
  /** A plain write of several words at once (a metadata block): the value of each word written. */
  words?: ReadonlyMap<number, bigint>;
}>;

export const isRead = (e: GraphEvent): boolean => e.kind === 'R' || e.kind === 'U';
export const isWrite = (e: GraphEvent): boolean => e.kind === 'W' || e.kind === 'U';
export const isAtomic = (e: GraphEvent): boolean => e.order !== 'na';

export class ExecutionGraph {
  readonly events: readonly GraphEvent[];
  /** For each event, the event it reads from (reads and RMWs), else -1. */
  readonly rf: readonly number[];
  /** Per location, its writes in coherence order (the initialization write first). */
  readonly mo: ReadonlyMap<string, readonly number[]>;
  /** Per thread, its events in program order. */
  readonly byThread: readonly (readonly number[])[];

  private constructor(
    events: readonly GraphEvent[],
    rf: readonly number[],
    mo: ReadonlyMap<string, readonly number[]>,
    byThread: readonly (readonly number[])[],
  ) {
    this.events = events;
    this.rf = rf;
    this.mo = mo;
    this.byThread = byThread;
  }

  /** The graph of `threads` threads with one initialization write per location. */
  static initial(threads: number, init: ReadonlyMap<string, bigint>): ExecutionGraph {
    const events: GraphEvent[] = [];
    const mo = new Map<string, number[]>();
    for (const [loc, v] of init) {
      mo.set(loc, [events.length]);
      events.push({ thread: -1, index: 0, kind: 'W', loc, order: 'na', written: v, label: 'init' });
    }
    return new ExecutionGraph(
      events,
      events.map(() => -1),
      mo,
      Array.from({ length: threads }, () => []),
    );
  }

  /** The writes a new read of `loc` may read from, before any consistency check: every write to `loc`. */
  writesTo(loc: string): readonly number[] {
    return this.mo.get(loc) ?? [];
  }

  /** The value `w` wrote. */
  valueOf(w: number): bigint {
    return this.events[w]!.written!;
  }

  /** The last write to `loc` in coherence order: the location's final value once the program has run. */
  finalValue(loc: string): bigint | undefined {
    const ws = this.mo.get(loc);
    return ws === undefined ? undefined : this.valueOf(ws[ws.length - 1]!);
  }

  /**
   * The graph with `e` appended to its thread: reading from `rfFrom` (reads, RMWs) and, for writes,
   * inserted into its location's coherence order at `moAt` (an RMW goes right after the write it reads,
   * as atomicity demands; other positions are the caller's to enumerate).
   */
  extend(e: Omit<GraphEvent, 'index'>, rfFrom = -1, moAt = -1): ExecutionGraph {
    const id = this.events.length;
    const index = this.byThread[e.thread]!.length;
    const ev: GraphEvent = { ...e, index, ...(rfFrom >= 0 && { read: this.valueOf(rfFrom) }) };
    const events = [...this.events, ev];
    const rf = [...this.rf, rfFrom];
    const byThread = this.byThread.map((xs, t) => (t === e.thread ? [...xs, id] : xs));
    let mo = this.mo;
    if (isWrite(ev)) {
      const m = new Map(this.mo);
      const ws = [...(m.get(ev.loc) ?? [])];
      const at = ev.kind === 'U' ? ws.indexOf(rfFrom) + 1 : moAt < 0 ? ws.length : moAt;
      ws.splice(at, 0, id);
      m.set(ev.loc, ws);
      mo = m;
    }
    return new ExecutionGraph(events, rf, mo, byThread);
  }

  /** The positions at which a new write to `loc` may enter the coherence order (after the init write). */
  moPositions(loc: string): number[] {
    const len = this.writesTo(loc).length;
    return len === 0 ? [0] : Array.from({ length: len }, (_, i) => i + 1);
  }

  /**
   * The value of plain word `word` as the last plain write of it left it (`undefined` when none did):
   * events are in the order they were added, which extends happens-before.
   */
  plainWord(word: number): bigint | undefined {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const v = this.events[i]!.words?.get(word);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** A key identifying the graph up to the order its events were added in. */
  key(): string {
    const name = (id: number) => {
      const e = this.events[id]!;
      return `${e.thread}.${e.index}`;
    };
    const parts: string[] = [];
    for (const [t, ids] of this.byThread.entries())
      for (const id of ids) {
        const e = this.events[id]!;
        parts.push(
          `${t}:${e.kind}${e.loc}${e.order}${e.read ?? ''}/${e.written ?? ''}<${this.rf[id]! >= 0 ? name(this.rf[id]!) : ''}`,
        );
      }
    for (const [loc, ws] of [...this.mo].sort(([a], [b]) => (a < b ? -1 : 1)))
      parts.push(`${loc}=${ws.map(name).join(',')}`);
    return parts.join(';');
  }
}
