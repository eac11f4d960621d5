#!/usr/bin/env bash
# Re-run the Quint peer benchmark for refcount.qnt.
# Usage: ./run.sh [outdir]   (default outdir: a fresh temporary directory)
# Needs node >= 18 and network access to the npm registry for the first `npm install`.
# NOTE 1: quint 0.33.0 on a fresh install resolves antlr4ts to 0.5.0-dev, which crashes at
#         start-up ("Class extends value undefined"); package.json pins 0.5.0-alpha.4 via overrides.
# NOTE 2: `quint run`/`quint test` default to --backend=rust, which downloads the Rust evaluator
#         from GitHub at first use; offline that fails ("Release v0.7.0 not found: fetch failed"),
#         so every command below passes --backend=typescript.  `quint verify` needs Apalache
#         (downloaded from GitHub, Java 17) and fails offline the same way.
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:-$(mktemp -d)}"
mkdir -p "$OUT"; cd "$HERE"
# The repository's own quint (its devDependency) when installed; otherwise a pinned install here.
Q="$HERE/../../../node_modules/.bin/quint"
if [ ! -x "$Q" ]; then
  [ -x node_modules/.bin/quint ] || npm install --no-audit --no-fund >/dev/null
  Q="$HERE/node_modules/.bin/quint"
fi
RES="$OUT/results.txt"; : > "$RES"
{ echo "# $(date -u)  quint $($Q --version 2>/dev/null)  node $(node --version)"; \
  echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)  cores: $(nproc)"; } >> "$RES"
t() { local s=$(date +%s.%N); "$@"; local rc=$?; echo "   wall: $(echo "$(date +%s.%N) - $s" | bc) s (rc=$rc)" >> "$RES"; }

echo "== typecheck" >> "$RES"
t $Q typecheck refcount.qnt > "$OUT/typecheck.out" 2>&1
echo "== quint test (TS backend)" >> "$RES"
t $Q test --backend=typescript --main=refcount3 refcount.qnt > "$OUT/test.out" 2>&1
grep -E "passing|failing|ok " "$OUT/test.out" | sed 's/^/   /' >> "$RES"

for n in 100 1000; do
  echo "== quint run refcount3 (3 threads x 2 slots), $n samples x 60 steps, invariant inv" >> "$RES"
  t $Q run --backend=typescript --main=refcount3 --max-samples=$n --max-steps=60 \
      --invariant=inv --seed=0x1234 --verbosity=1 refcount.qnt > "$OUT/run-$n.out" 2>&1
  grep -E "No violation|Found an issue|Trace length" "$OUT/run-$n.out" | sed 's/^/   /' >> "$RES"
done

echo "== quint run refcount3bug (seeded bug), 10 seeds, time to first violation" >> "$RES"
for seed in 1 2 3 4 5 6 7 8 9 10; do
  $Q run --backend=typescript --main=refcount3bug --max-samples=10000 --max-steps=60 \
      --invariant=inv --seed=$seed --verbosity=1 --out-itf="$OUT/bug_seed${seed}.itf.json" \
      refcount.qnt > "$OUT/bug-$seed.out" 2>&1
  echo "   seed $seed: $(grep -E 'Found an issue|No violation' "$OUT/bug-$seed.out")  states in trace: $(python3 -c "import json;print(len(json.load(open('$OUT/bug_seed${seed}.itf.json'))['states']))" 2>/dev/null)" >> "$RES"
done
cat "$RES"
