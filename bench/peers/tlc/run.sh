#!/usr/bin/env bash
# Re-run the TLC peer benchmark for refcount.tla.
# Usage: TLA2TOOLS=/path/to/tla2tools.jar ./run.sh [outdir]
# Needs Java 11+ and a tla2tools.jar (official release or nightly from the TLA+ project).
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:-$(mktemp -d)}"
JAR="${TLA2TOOLS:?set TLA2TOOLS to the path of tla2tools.jar}"
mkdir -p "$OUT"; cp "$HERE"/refcount.tla "$HERE"/MC*.cfg "$OUT"/; cd "$OUT"
RES="$OUT/results.txt"; : > "$RES"
echo "# $(date -u)  cpu:$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) cores: $(nproc)  $(java -version 2>&1 | head -1)" >> "$RES"
tlc() {  # name, cfg, extra TLC args...
  local name="$1" cfg="$2"; shift 2
  local s=$(date +%s.%N)
  java -XX:+UseParallelGC -cp "$JAR" tlc2.TLC -config "$cfg" "$@" refcount.tla > "$name.out" 2>&1
  { echo "== $name: tlc2.TLC -config $cfg $* refcount.tla"
    grep -E "^TLC2 Version|states generated, |traces generated|depth of the complete|Finished in|is violated|No error has been found|calculated \(optimistic\)" "$name.out" | sed 's/^/   /'
    echo "   trace states: $(grep -c '^State [0-9]*:' "$name.out")   wall: $(echo "$(date +%s.%N) - $s" | bc) s"; } >> "$RES"
}
tlc t2           MC_t2.cfg    -workers 1
tlc t3           MC.cfg       -workers 1
tlc t3-symmetry  MC_sym.cfg   -workers 1
tlc t3-liveness  MC_live.cfg  -workers 1
tlc t3-ops4      MC_ops4.cfg  -workers 1
tlc t3-ops4-w2   MC_ops4.cfg  -workers 2
tlc t3-bug-bfs   MC_bug.cfg   -workers 1
tlc t3-sim-10k   MC.cfg       -workers 1 -simulate num=10000 -depth 60
tlc t3-bug-sim   MC_bug.cfg   -workers 1 -simulate num=10000 -depth 60 -seed 1
cat "$RES"
