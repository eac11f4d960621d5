#!/usr/bin/env bash
# Re-run the fast-check peer benchmark.  Usage: ./run.sh [outdir]   (node >= 18; npm registry for first install)
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"; OUT="${1:-$(mktemp -d)}"; mkdir -p "$OUT"; cd "$HERE"
[ -d node_modules/fast-check ] || npm install --no-audit --no-fund >/dev/null
RES="$OUT/results.txt"; : > "$RES"
echo "# $(date -u)  fast-check $(node -p "require('./node_modules/fast-check/package.json').version")  node $(node --version)  cpu:$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) cores: $(nproc)" >> "$RES"
echo "== sequential model test (fc.commands + fc.modelRun), 10,000 runs, maxCommands 20, size small (default), 5 trials" >> "$RES"
for i in 1 2 3 4 5; do node refcount-model.mjs 10000 20 0 small >> "$RES"; done
echo "== same, size max, 3 trials" >> "$RES"
for i in 1 2 3; do node refcount-model.mjs 10000 20 0 max >> "$RES"; done
echo "== seeded bug (get 1->3), shrink to minimal command list" >> "$RES"
node refcount-model.mjs 10000 20 1 max >> "$RES"
echo "== concurrent interleavings via fc.scheduler(): 3 async threads x <=3 ops, 10,000 runs, 3 trials" >> "$RES"
for i in 1 2 3; do node refcount-sched.mjs 10000 0 >> "$RES"; done
echo "== seeded bug (get accepts rc==0): runs-to-failure over 30 fresh seeds" >> "$RES"
for i in $(seq 1 30); do node refcount-sched.mjs 10000 1 | head -1; done | node -e '
  const r = require("fs").readFileSync(0, "utf8").trim().split("\n").map(JSON.parse);
  const n = r.map(x => x.numRuns).sort((a, b) => a - b), med = a => a[Math.floor(a.length / 2)];
  console.log(JSON.stringify({ found: r.filter(x => x.failed).length, of: r.length, runsToFailMedian: med(n),
    runsToFailMax: n[n.length - 1], msMedian: med(r.map(x => x.ms).sort((a, b) => a - b)),
    shrinksMedian: med(r.map(x => x.numShrinks).sort((a, b) => a - b)) }));' >> "$RES"
echo "== one shrunk interleaving counterexample" >> "$RES"
node refcount-sched.mjs 10000 1 >> "$RES"
cat "$RES"
