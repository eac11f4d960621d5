import type { Components, Move } from './components.ts';

/**
 * The persistent set of a state whose thread states are `threads` and whose steps are `moves`, grouped
 * per thread (`starts[t]..starts[t + 1]`, `count` in all): every step of one thread whose steps touch
 * nothing any other thread may still touch (so they commute with everything the others can do first)
 * and stop no kernel; a range of codes (`lo | hi << 16`). The BFS cycle proviso as SPIN applies it: when
 * one of those steps leads to a state `seenBefore` says was already reached, the state is expanded
 * fully. Otherwise (or without such a thread) every step. `kid` is scratch of one slot per thread.
 */
export function persistentSet(
  store: Components,
  threads: ArrayLike<number>,
  moves: readonly Move[],
  starts: readonly number[],
  count: number,
  kid: Int32Array,
  seenBefore: (hi: number, lo: number) => boolean,
): number {
  const n = threads.length;
  // What the others may touch, per thread: the bits some other thread's future has (no arrays per state).
  let any = 0;
  let twice = 0;
  for (let u = 0; u < n; u++) {
    const f = store.future(threads[u]!);
    twice |= any & f;
    any |= f;
  }
  for (let t = 0; t < n; t++) {
    const lo = starts[t]!;
    const hi = starts[t + 1]!;
    if (hi === lo || hi - lo === count) continue;
    const others = twice | (any & ~store.future(threads[t]!));
    let ok = true;
    for (let k = lo; k < hi && ok; k++) {
      const m = moves[k]!;
      if (m.abort || m.crashed || (m.mask & others) !== 0) ok = false;
    }
    for (let k = lo; k < hi && ok; k++) {
      const m = moves[k]!;
      for (let u = 0; u < n; u++) kid[u] = threads[u]!;
      kid[t] = m.thread;
      store.canonInto(m.words, kid, m.halted);
      if (seenBefore(store.rep.hi, store.rep.lo)) ok = false;
    }
    if (ok) return lo | (hi << 16);
  }
  return count << 16;
}
