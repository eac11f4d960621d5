#!/usr/bin/env bash
# Rewrites every counterexample in this folder with the commands that produce them: the catalog's
# minimized explorer traces (`framecheck mutants --out`) and two shrunk simulation traces
# (`framecheck simulate --out`). Run from anywhere after `npm run build` (or with FRAMECHECK_BIN naming
# another build of the CLI); replay.test.ts then replays them all, and test/itfQuint.system.test.ts
# reads them with Quint's ITF reader. The files are written to a scratch folder first and replace the
# old ones only when every command succeeded.
set -euo pipefail
cd "$(dirname "$0")/.."
fc() { node "${FRAMECHECK_BIN:-bin/framecheck.js}" "$@"; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# simulate exits 1 when it finds (and writes) the violation: that is the expected outcome here.
found() { "$@" >/dev/null || [ $? -eq 1 ]; }
fc mutants --out "$out" >/dev/null
found fc simulate --frames 8 --threads 4 --steps 2000 --runs 20 --seed 1 --mutant claim_load_then_store --out "$out"
found fc simulate --frames 8 --threads 4 --steps 2000 --runs 20 --seed 1 --mutant unique_drop_leaks \
  --ops alloc,from_in_use,clone,drop,try_into_unique,into_shared,drop_unique --out "$out"
[ -e "$out/claim_load_then_store-accounting.busy.sim.itf.json" ] && [ -e "$out/unique_drop_leaks-accounting.leak.sim.itf.json" ]
rm -f counterexamples/*.itf.json
mv "$out"/*.itf.json counterexamples/
ls counterexamples/*.itf.json | wc -l
