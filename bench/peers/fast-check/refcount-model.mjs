// fast-check model-based test of the frame-metadata ref-count protocol (sequential).
// Run: node refcount-model.mjs [numRuns=10000] [maxCommands=20] [bug=0] [size=small|medium|large|max]
import fc from 'fast-check';
const UNUSED = -1,
  UNIQUE = -2,
  MAX = 3,
  N = 2; // tiny MAX so overflow abort is reachable
const [runs = 10000, maxCmds = 20, bug = 0] = process.argv.slice(2, 5).map(Number),
  size = process.argv[5] ?? 'small';
class Slots {
  // system under test: Atomics on Int32Array
  rc = new Int32Array(N).fill(UNUSED);
  meta = new Array(N).fill(null);
  claim(s) {
    if (Atomics.compareExchange(this.rc, s, UNUSED, 0) !== UNUSED) return false;
    this.meta[s] = { slot: s };
    Atomics.store(this.rc, s, 1);
    return true;
  }
  get(s) {
    for (;;) {
      const v = Atomics.load(this.rc, s);
      if (v === UNUSED || v === UNIQUE || (v === 0 && !bug)) return false;
      if (v >= MAX) throw new Error('abort: ref-count overflow');
      if (Atomics.compareExchange(this.rc, s, v, v + (bug && v === 1 ? 2 : 1)) === v) return true;
    }
  }
  drop(s) {
    if (Atomics.sub(this.rc, s, 1) === 1) {
      this.meta[s] = null;
      Atomics.store(this.rc, s, UNUSED);
    }
  }
}
let steps = 0;
const inv = (m, r) => {
  steps++;
  for (let s = 0; s < N; s++) {
    // ghost-permission invariant
    const want = m.held[s] === 0 ? UNUSED : m.held[s];
    if (r.rc[s] !== want) throw new Error(`slot ${s}: rc=${r.rc[s]} expected ${want}`);
    if ((r.meta[s] !== null) !== m.held[s] > 0) throw new Error(`slot ${s}: metadata liveness`);
  }
};
class Claim {
  constructor(s) {
    this.s = s;
  }
  check() {
    return true;
  }
  run(m, r) {
    const ok = r.claim(this.s);
    if (ok !== (m.held[this.s] === 0)) throw new Error('claim result');
    if (ok) m.held[this.s] = 1;
    inv(m, r);
  }
  toString() {
    return `claim(${this.s})`;
  }
}
class Get {
  constructor(s) {
    this.s = s;
  }
  check() {
    return true;
  } // held==MAX: spec says abort()
  run(m, r) {
    let ok;
    try {
      ok = r.get(this.s);
    } catch (e) {
      if (m.held[this.s] >= MAX) return;
      throw e;
    }
    if (ok !== (m.held[this.s] > 0 && m.held[this.s] < MAX)) throw new Error('get result');
    if (ok) m.held[this.s]++;
    inv(m, r);
  }
  toString() {
    return `get(${this.s})`;
  }
}
class Drop {
  constructor(s) {
    this.s = s;
  }
  check(m) {
    return m.held[this.s] > 0;
  } // pre: holds a ref
  run(m, r) {
    r.drop(this.s);
    m.held[this.s]--;
    inv(m, r);
  }
  toString() {
    return `drop(${this.s})`;
  }
}
const slot = fc.integer({ min: 0, max: N - 1 });
const cmds = fc.commands([slot.map((s) => new Claim(s)), slot.map((s) => new Get(s)), slot.map((s) => new Drop(s))], {
  maxCommands: maxCmds,
  size,
});
const t0 = performance.now();
const out = fc.check(
  fc.property(cmds, (c) => {
    fc.modelRun(() => ({ model: { held: new Array(N).fill(0) }, real: new Slots() }), c);
  }),
  { numRuns: runs },
);
const ms = performance.now() - t0;
console.log(
  JSON.stringify({
    numRuns: out.numRuns,
    failed: out.failed,
    ms: +ms.toFixed(1),
    runsPerSec: Math.round(out.numRuns / (ms / 1000)),
    cmdsExecuted: steps,
    cmdsPerSec: Math.round(steps / (ms / 1000)),
    numShrinks: out.numShrinks,
    seed: out.seed,
    path: out.counterexamplePath,
    counterexample: out.failed ? String(out.counterexample[0]) : null,
    error: out.failed ? String(out.errorInstance?.message ?? out.error) : null,
  }),
);
