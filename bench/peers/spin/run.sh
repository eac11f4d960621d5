#!/usr/bin/env bash
# Re-run the SPIN peer benchmark for refcount.pml.
# Usage: ./run.sh [outdir]   (needs: spin >= 6.5 (apt-get install -y spin), gcc)
# Each configuration: spin -a (generate pan.c), gcc -O2, ./pan; summary lines go to results.txt
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:-$(mktemp -d)}"
mkdir -p "$OUT"; cd "$OUT"; cp "$HERE/refcount.pml" .
RES="$OUT/results.txt"; : > "$RES"
{ echo "# $(date -u)  $(spin -V)  gcc $(gcc -dumpversion)"; \
  echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)  cores: $(nproc)"; } >> "$RES"

run() {  # name, spin -D flags, gcc flags, pan flags
  local name="$1" sflags="$2" cflags="$3" pflags="$4"
  rm -f pan pan.[bchmpt] ./*.trail
  spin $sflags -a refcount.pml > /dev/null || { echo "spin -a failed: $name" >> "$RES"; return; }
  gcc -O2 -w $cflags -o pan pan.c
  local t0=$(date +%s.%N)
  ./pan $pflags > "pan-$name.out" 2>&1
  local t1=$(date +%s.%N)
  {
    echo "== $name"
    echo "   cmd: spin $sflags -a refcount.pml && gcc -O2 $cflags -o pan pan.c && ./pan $pflags"
    grep -E "^error|Error|State-vector|states, stored|states, matched|transitions \(|atomic steps|total actual memory|elapsed time|rate|hash factor|bits set per state" "pan-$name.out" | sed 's/^/   /'
    local nerr=$(grep -c "assertion violated" "pan-$name.out")
    [ "$nerr" -gt 0 ] && echo "   assertion violations reported: $nerr; last: $(grep "assertion violated" "pan-$name.out" | tail -1 | cut -c1-110)"
    echo "   wall: $(echo "$t1 - $t0" | bc) s"
  } >> "$RES"
}

# Default model: 3 threads, 2 slots, 3 ops/thread, REF_MAX=2 (overflow abort reachable)
run por           ""  "-DSAFETY"                "-m1000000 -w24"
run nored         ""  "-DSAFETY -DNOREDUCE"     "-m1000000 -w26"
run por-collapse  ""  "-DSAFETY -DCOLLAPSE"     "-m1000000 -w26"
run por-hc4       ""  "-DSAFETY -DHC4"          "-m1000000 -w26"
run por-bitstate  ""  "-DSAFETY -DBITSTATE"     "-m1000000 -w30"
# Smaller and larger instances
run t2-por        "-DNTHREADS=2"  "-DSAFETY"            "-m1000000 -w24"
run t2-nored      "-DNTHREADS=2"  "-DSAFETY -DNOREDUCE" "-m1000000 -w24"
run uniq-por      "-DWITH_UNIQUE" "-DSAFETY"            "-m1000000 -w26"
# Seeded bug: in-use get accepts ref_count==0 -> reads metadata being (de)constructed
run bug-dfs       "-DBUG_NO_BUSY" "-DSAFETY"            "-m1000000 -w24"
trail() {  # replay the counterexample with the spin simulator
  [ -f refcount.pml.trail ] || return
  spin -DBUG_NO_BUSY -t -p -g refcount.pml > "trail-$1.txt" 2>&1
  echo "   replay: spin -DBUG_NO_BUSY -t -p -g refcount.pml -> trail-$1.txt ($(grep -c 'proc ' "trail-$1.txt") step lines)" >> "$RES"
}
trail bug-dfs
run bug-bfs       "-DBUG_NO_BUSY" "-DSAFETY -DBFS"      "-m1000000 -w24"
trail bug-bfs
run bug-shortest  "-DBUG_NO_BUSY" "-DSAFETY -DREACH"    "-m1000000 -w24 -i"
# Larger instance (4 ops per thread), POR + hash compaction only
run t3-ops4-hc4   "-DOPS=4"       "-DSAFETY -DHC4"      "-m1000000 -w26"
cat "$RES"
