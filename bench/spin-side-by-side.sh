#!/usr/bin/env bash
# bench-core core-safe-s5 in Spin and in foliocheck, one after the other on this machine, with the ratios.
# Spin is built and run as bench/spin/README.md describes for core-safe-s5 (depth-first and
# breadth-first, full state storage), without the slow minimised-automaton run.
#
# Needs spin, gcc and /usr/bin/time (apt-get install -y spin time) and a built foliocheck (npm run build).
#   bench/spin-side-by-side.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SPIN_DIR=${SPIN_DIR:-$HERE/spin}
OUT=${OUT:-$(mktemp -d)}
command -v spin >/dev/null || { echo "spin is not installed (apt-get install -y spin time)" >&2; exit 2; }
CC_BASE="-O2 -DSAFETY -DNOBOUNDCHECK -DMEMLIM=16000"
SFLAGS="-DVA=4 -DPINS=1 -DSLOTS=5 -DCANON"

spin_run() { # NAME EXTRA_SPIN_CC_FLAGS PAN_FLAGS
  local dir=$OUT/$1
  mkdir -p "$dir" && cp "$SPIN_DIR/core.pml" "$dir/"
  (cd "$dir" && spin $SFLAGS $2 -a core.pml >/dev/null && gcc $CC_BASE $2 -o pan pan.c)
  (cd "$dir" && /usr/bin/time -v ./pan $3 >run.out 2>time.txt) || true
  local secs rss states
  secs=$(grep -m1 -E "elapsed time" "$dir/run.out" | sed -E 's/.*elapsed time +([0-9.e+]+) seconds.*/\1/')
  rss=$(grep -m1 -E "Maximum resident set size" "$dir/time.txt" | awk '{print $NF}')
  states=$(grep -m1 -E "states, stored" "$dir/run.out" | awk '{print $1}')
  echo "$1 $secs $rss $states"
}

{
  spin_run spin-dfs "" "-m1000000 -w24"
  spin_run spin-bfs "-DBFS" "-w24"
} >"$OUT/spin.txt"

fc() { node "$ROOT/dist/src/cli/bin.js" bench core-safe-s5 --json "$@"; }
fc --store exact --workers 1 >"$OUT/fc-exact-1.json" || true
fc --store exact --workers 2 >"$OUT/fc-exact-2.json" || true
fc --store fingerprint --workers 1 >"$OUT/fc-fp-1.json" || true
fc --store fingerprint --workers 2 >"$OUT/fc-fp-2.json" || true

node - "$OUT" <<'JS'
const fs = require('fs');
const out = process.argv[2];
const spin = {};
for (const line of fs.readFileSync(`${out}/spin.txt`, 'utf8').trim().split('\n')) {
  const [name, secs, rssKiB, states] = line.split(' ');
  spin[name] = { secs: Number(secs), rssMiB: Number(rssKiB) / 1024, states: Number(states) };
}
const fmt = (name, secs, mib, states) =>
  `${name.padEnd(32)} ${secs.toFixed(1).padStart(6)} s ${mib.toFixed(0).padStart(6)} MiB  ${String(states).padStart(9)} states`;
console.log(fmt('Spin 6.5 depth-first', spin['spin-dfs'].secs, spin['spin-dfs'].rssMiB, spin['spin-dfs'].states));
console.log(fmt('Spin 6.5 breadth-first', spin['spin-bfs'].secs, spin['spin-bfs'].rssMiB, spin['spin-bfs'].states));
const row = (name, file, ref) => {
  const j = JSON.parse(fs.readFileSync(`${out}/${file}`, 'utf8'));
  const mib = j.peakRssBytes / 2 ** 20;
  const s = spin[ref];
  console.log(
    `${fmt(name, j.seconds, mib, j.states)}  vs ${ref}: time x${(j.seconds / s.secs).toFixed(2)}, ` +
      `memory x${(mib / s.rssMiB).toFixed(2)}${j.matchesPublished ? '' : '  (DIFFERS from published)'}`,
  );
};
row('foliocheck BFS exact, 1 thread', 'fc-exact-1.json', 'spin-bfs');
row('foliocheck BFS exact, 2 threads', 'fc-exact-2.json', 'spin-bfs');
row('foliocheck BFS fingerprint, 1 thr', 'fc-fp-1.json', 'spin-dfs');
row('foliocheck BFS fingerprint, 2 thr', 'fc-fp-2.json', 'spin-dfs');
JS
