#!/usr/bin/env bash
# bench-core in Spin and in foliocheck on this machine, RUNS rounds (default 3), each round running every
# configuration once in turn, so that a change of load affects them alike; prints the median of each and
# the ratios of the medians. Spin is built and run as bench/spin/README.md describes (depth-first and
# breadth-first, full state storage), without the slow minimised-automaton run.
#
# Needs spin, gcc and /usr/bin/time (apt-get install -y spin time) and a built foliocheck (npm run build).
#   bench/spin-side-by-side.sh                  # core-safe-s5, 3 rounds
#   RUNS=1 VARIANT=core-safe-p0 bench/spin-side-by-side.sh
#   CPU=0 bench/spin-side-by-side.sh            # every one-thread line on CPU 0 (taskset)
#
# CPU=N runs Spin and foliocheck's one-thread lines on CPU N alone, so that they are compared on one core:
# on a machine whose cores differ in speed (a virtual machine's vCPUs may share a physical core with other
# work), a process the scheduler happens to place on the slower core is that much slower, and the one-thread
# ratios then measure the placement. The two-thread lines always run on every core.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SPIN_DIR=${SPIN_DIR:-$HERE/spin}
OUT=${OUT:-$(mktemp -d)}
RUNS=${RUNS:-3}
VARIANT=${VARIANT:-core-safe-s5}
CPU=${CPU:-}
PIN=()
if [ -n "$CPU" ]; then
  command -v taskset >/dev/null || { echo "CPU=$CPU needs taskset (util-linux)" >&2; exit 2; }
  taskset -c "$CPU" true 2>/dev/null || { echo "CPU: expected a CPU this process may run on, got $CPU" >&2; exit 2; }
  PIN=(taskset -c "$CPU")
fi
command -v spin >/dev/null || { echo "spin is not installed (apt-get install -y spin time)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is not installed (apt-get install -y time)" >&2; exit 2; }
CC_BASE="-O2 -DSAFETY -DNOBOUNDCHECK -DMEMLIM=16000"
case $VARIANT in
  core-safe-p0) SFLAGS="-DVA=4 -DPINS=0 -DCANON" W=22 ;;
  core-safe-s5) SFLAGS="-DVA=4 -DPINS=1 -DSLOTS=5 -DCANON" W=24 ;;
  core-safe) SFLAGS="-DVA=4 -DPINS=1 -DCANON" W=25 ;;
  *) echo "VARIANT: expected core-safe-p0, core-safe-s5 or core-safe, got $VARIANT" >&2; exit 2 ;;
esac

spin_build() { # NAME EXTRA_SPIN_CC_FLAGS
  local dir=$OUT/$1
  mkdir -p "$dir" && cp "$SPIN_DIR/core.pml" "$dir/"
  (cd "$dir" && spin $SFLAGS $2 -a core.pml >/dev/null && gcc $CC_BASE $2 -o pan pan.c)
}
spin_run() { # NAME PAN_FLAGS ROUND: one line "name secs rssKiB states transitions"
  local dir=$OUT/$1
  (cd "$dir" && "${PIN[@]}" /usr/bin/time -v ./pan $2 >"run.$3.out" 2>"time.$3.txt") || true
  local secs rss states trans
  secs=$(grep -m1 -E "elapsed time" "$dir/run.$3.out" | sed -E 's/.*elapsed time +([0-9.e+]+) seconds.*/\1/')
  rss=$(grep -m1 -E "Maximum resident set size" "$dir/time.$3.txt" | awk '{print $NF}')
  states=$(grep -m1 -E "states, stored" "$dir/run.$3.out" | awk '{print $1}')
  trans=$(grep -m1 -E "transitions \(" "$dir/run.$3.out" | awk '{print $1}')
  echo "$1 $secs $rss $states $trans"
}
fc() { # FILE WORKERS ARGS...: one thread pinned as Spin is (CPU=N), two threads on every core
  local file=$1 workers=$2
  shift 2
  local pin=()
  [ "$workers" = 1 ] && pin=("${PIN[@]}")
  "${pin[@]}" node "$ROOT/dist/src/cli/bin.js" bench "$VARIANT" --json --workers "$workers" "$@" >"$OUT/$file" || true
}

spin_build spin-dfs ""
spin_build spin-bfs "-DBFS"
# Appended to round by round: a reused OUT must not mix an earlier run's Spin lines into this one's medians.
: >"$OUT/spin.txt"
for round in $(seq 1 "$RUNS"); do
  spin_run spin-dfs "-m1000000 -w$W" "$round" >>"$OUT/spin.txt"
  spin_run spin-bfs "-w$W" "$round" >>"$OUT/spin.txt"
  fc "fc-exact-1.$round.json" 1 --store exact
  fc "fc-exact-2.$round.json" 2 --store exact
  fc "fc-fp-1.$round.json" 1 --store fingerprint
  fc "fc-fp-2.$round.json" 2 --store fingerprint
done

node - "$OUT" "$RUNS" "$VARIANT" "$CPU" <<'JS'
const fs = require('fs');
const [out, runs, variant, cpu] = [process.argv[2], Number(process.argv[3]), process.argv[4], process.argv[5]];
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** name -> list of {secs, mib, states, edges}, one per round. */
const rounds = new Map();
const add = (name, r) => rounds.set(name, [...(rounds.get(name) ?? []), r]);
for (const line of fs.readFileSync(`${out}/spin.txt`, 'utf8').trim().split('\n')) {
  const [name, secs, rssKiB, states, transitions] = line.split(' ');
  // Spin's "transitions" counts the initial state's as well (bench/spin/README.md).
  add(name, { secs: Number(secs), mib: Number(rssKiB) / 1024, states: Number(states), edges: Number(transitions) - 1 });
}
const fc = [
  ['exact-1', 'foliocheck BFS exact, 1 thread', 'spin-dfs'],
  ['exact-2', 'foliocheck BFS exact, 2 threads', 'spin-dfs'],
  ['fp-1', 'foliocheck BFS fingerprint, 1 thr', 'spin-dfs'],
  ['fp-2', 'foliocheck BFS fingerprint, 2 thr', 'spin-dfs'],
];
const published = new Map();
for (const [key] of fc) {
  for (let r = 1; r <= runs; r++) {
    const file = `${out}/fc-${key}.${r}.json`;
    if (!fs.existsSync(file) || fs.statSync(file).size === 0) continue;
    const j = JSON.parse(fs.readFileSync(file, 'utf8'));
    add(key, { secs: j.seconds, mib: j.peakRssBytes / 2 ** 20, states: j.states, edges: j.edges });
    published.set(key, (published.get(key) ?? true) && j.matchesPublished);
  }
}
const med = (name) => {
  const rs = rounds.get(name) ?? [];
  return {
    n: rs.length,
    secs: median(rs.map((r) => r.secs)),
    mib: median(rs.map((r) => r.mib)),
    states: rs[0]?.states ?? 0,
    edges: rs[0]?.edges ?? 0,
    all: rs.map((r) => r.secs.toFixed(1)).join('/'),
  };
};
const line = (label, m, extra = '') =>
  `${label.padEnd(34)} ${m.secs.toFixed(1).padStart(6)} s ${m.mib.toFixed(0).padStart(6)} MiB ` +
  `${String(m.states).padStart(10)} states ${(m.states / m.secs / 1e3).toFixed(0).padStart(5)} k states/s ` +
  `${(m.edges / m.secs / 1e6).toFixed(2).padStart(5)} M edges/s ${((m.mib * 2 ** 20) / m.states).toFixed(0).padStart(4)} B/state` +
  `  [${m.all} s]${extra}`;
console.log(`${variant}, median of ${runs} rounds (each round runs every line once, in this order)`);
console.log(cpu ? `one-thread lines on CPU ${cpu} (taskset), two-thread lines on every CPU` : 'no line pinned to a CPU');
const dfs = med('spin-dfs');
const bfs = med('spin-bfs');
console.log(line('Spin 6.5 depth-first', dfs));
console.log(line('Spin 6.5 breadth-first', bfs));
for (const [key, label] of fc) {
  const m = med(key);
  if (m.n === 0) {
    console.log(`${label.padEnd(34)} did not run`);
    continue;
  }
  const vs =
    `  vs Spin DFS: time x${(m.secs / dfs.secs).toFixed(2)}, memory x${(m.mib / dfs.mib).toFixed(2)}; ` +
    `vs Spin BFS: time x${(m.secs / bfs.secs).toFixed(2)}, memory x${(m.mib / bfs.mib).toFixed(2)}` +
    (published.get(key) ? '' : '  (DIFFERS from published)');
  console.log(line(label, m, vs));
}
JS
echo "raw outputs: $OUT"
