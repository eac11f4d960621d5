#!/usr/bin/env bash
# Rewrites every counterexample in this folder with the commands that produce them: the catalog's
# minimized explorer traces (`framecheck mutants --out`) and two shrunk simulation traces
# (`framecheck simulate --out`). Run from anywhere after `npm run build` (or with FRAMECHECK_BIN naming
# another build of the CLI); replay.test.ts then replays them all, and test/itfQuint.system.test.ts
# reads them with Quint's ITF reader.
set -euo pipefail
cd "$(dirname "$0")/.."
fc() { node "${FRAMECHECK_BIN:-bin/framecheck.js}" "$@"; }
rm -f counterexamples/*.itf.json
fc mutants --out counterexamples >/dev/null
fc simulate --frames 8 --threads 4 --steps 2000 --runs 20 --seed 1 --mutant claim_load_then_store \
  --out counterexamples >/dev/null || [ $? -eq 1 ]
fc simulate --frames 8 --threads 4 --steps 2000 --runs 20 --seed 1 --mutant unique_drop_leaks \
  --ops alloc,from_in_use,clone,drop,try_into_unique,into_shared,drop_unique --out counterexamples >/dev/null || [ $? -eq 1 ]
ls counterexamples/*.itf.json | wc -l
