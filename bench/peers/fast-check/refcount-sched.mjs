// fast-check fc.scheduler() race test: 3 async "threads" run op lists against shared slots;
// every atomic step is a scheduled yield point, so fast-check picks (and shrinks) the interleaving.
// Run: node refcount-sched.mjs [numRuns=10000] [bug=0]   (bug=1: in-use get accepts rc==0)
import fc from 'fast-check';
const UNUSED = -1,
  UNIQUE = -2,
  MAX = 2,
  N = 2,
  T = 3;
const [runs = 10000, bug = 0] = process.argv.slice(2).map(Number);
let atomics = 0;
const op = fc.record({ k: fc.constantFrom('claim', 'get', 'drop'), s: fc.integer({ min: 0, max: N - 1 }) });
const prop = fc.asyncProperty(
  fc.scheduler(),
  fc.array(fc.array(op, { maxLength: 3 }), { minLength: T, maxLength: T }),
  async (sch, plan) => {
    const rc = new Int32Array(N).fill(UNUSED),
      meta = new Array(N).fill(false),
      held = new Array(N).fill(0),
      busy = new Array(N).fill(0);
    const inv = (s) => {
      const ok =
        rc[s] === UNUSED
          ? held[s] === 0 && busy[s] === 0 && !meta[s]
          : rc[s] === 0
            ? held[s] === 0 && busy[s] === 1
            : rc[s] === held[s] && busy[s] === 0 && meta[s];
      if (!ok) throw new Error(`INV slot ${s}: rc=${rc[s]} held=${held[s]} busy=${busy[s]} meta=${meta[s]}`);
    };
    const step = (label, f) => (atomics++, sch.schedule(Promise.resolve(label), label).then(f)); // one atomic action
    const thread = async (t, ops) => {
      const mine = new Array(N).fill(0);
      const drop = async (s) => {
        const v = await step(`T${t} fetch_sub(${s})`, () => {
          const v = Atomics.sub(rc, s, 1);
          held[s]--;
          mine[s]--;
          if (v === 1) busy[s]++;
          inv(s);
          return v;
        });
        if (v === 1) {
          await step(`T${t} drop_meta(${s})`, () => {
            meta[s] = false;
            inv(s);
          });
          await step(`T${t} store_unused(${s})`, () => {
            Atomics.store(rc, s, UNUSED);
            busy[s]--;
            inv(s);
          });
        }
      };
      for (const { k, s } of ops) {
        if (k === 'claim') {
          if (
            await step(`T${t} cas_unused(${s})`, () => {
              const ok = Atomics.compareExchange(rc, s, UNUSED, 0) === UNUSED;
              if (ok) busy[s]++;
              inv(s);
              return ok;
            })
          ) {
            await step(`T${t} write_meta(${s})`, () => {
              meta[s] = true;
              inv(s);
            });
            await step(`T${t} store_1(${s})`, () => {
              Atomics.store(rc, s, 1);
              busy[s]--;
              held[s]++;
              mine[s]++;
              inv(s);
            });
          }
        } else if (k === 'get') {
          for (;;) {
            const v = await step(`T${t} load(${s})`, () => Atomics.load(rc, s));
            if (v === UNUSED || v === UNIQUE || (v === 0 && !bug)) break;
            if (v >= MAX) return; // abort(): thread stops
            if (
              await step(`T${t} cas_inc(${s},${v})`, () => {
                const ok = Atomics.compareExchange(rc, s, v, v + 1) === v;
                if (ok) {
                  held[s]++;
                  mine[s]++;
                  if (!meta[s]) throw new Error(`use of dead metadata slot ${s}`);
                  inv(s);
                }
                return ok;
              })
            )
              break;
          }
        } else if (mine[s] > 0) await drop(s);
      }
      for (let s = 0; s < N; s++) while (mine[s] > 0) await drop(s);
    };
    await sch.waitFor(Promise.all(plan.map((ops, t) => thread(t, ops))));
  },
);
const t0 = performance.now();
const out = await fc.check(prop, { numRuns: runs });
const ms = performance.now() - t0;
console.log(
  JSON.stringify({
    numRuns: out.numRuns,
    failed: out.failed,
    ms: +ms.toFixed(1),
    runsPerSec: Math.round(out.numRuns / (ms / 1000)),
    atomicSteps: atomics,
    stepsPerSec: Math.round(atomics / (ms / 1000)),
    numShrinks: out.numShrinks,
    seed: out.seed,
    path: out.counterexamplePath,
    error: out.failed ? String(out.errorInstance?.message) : null,
  }),
);
if (out.failed) console.log(String(out.counterexample[0]), JSON.stringify(out.counterexample[1]));
