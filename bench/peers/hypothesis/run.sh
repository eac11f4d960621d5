#!/usr/bin/env bash
# Re-run the Hypothesis stateful peer benchmark.  Usage: ./run.sh [outdir]   (python3 + `pip install hypothesis`)
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"; OUT="${1:-$(mktemp -d)}"; mkdir -p "$OUT"; cd "$HERE"
RES="$OUT/results.txt"; : > "$RES"
echo "# $(date -u)  hypothesis $(python3 -c 'import hypothesis;print(hypothesis.__version__)')  $(python3 --version)  cpu:$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) cores: $(nproc)" >> "$RES"
echo "== RuleBasedStateMachine, 1,000 examples x <=20 steps, 3 trials" >> "$RES"
for i in 1 2 3; do python3 refcount_stateful.py 1000 20 0 >> "$RES"; done
echo "== 10,000 examples x <=20 steps" >> "$RES"
python3 refcount_stateful.py 10000 20 0 >> "$RES"
echo "== seeded bug, generate+shrink" >> "$RES"
python3 refcount_stateful.py 1000 20 1 >> "$RES"
cat "$RES"
