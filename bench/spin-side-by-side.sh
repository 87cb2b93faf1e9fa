#!/usr/bin/env bash
# bench-core core-safe-s5 in Spin and in foliocheck, one after the other on this machine, and the ratios.
# Needs spin, gcc and /usr/bin/time (apt-get install -y spin time) and a built foliocheck (npm run build).
#
#   bench/spin-side-by-side.sh            REPS=1 by default (REPS=3 for medians, as core-model.md reports)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SPIN_DIR=${SPIN_DIR:-$ROOT/../shared/bench/spin}
OUT=${OUT:-$(mktemp -d)}
REPS=${REPS:-1}
command -v spin >/dev/null || { echo "spin is not installed (apt-get install -y spin time)" >&2; exit 2; }

REPS=$REPS OUT=$OUT bash "$SPIN_DIR/run.sh" safe >/dev/null
grep -E '^MEDIAN' "$OUT/results.txt"

fc() { node "$ROOT/dist/src/cli/bin.js" bench core-safe-s5 --json "$@"; }
fc --store exact --workers 1 >"$OUT/fc-exact-1.json" || true
fc --store exact --workers 2 >"$OUT/fc-exact-2.json" || true
fc --store fingerprint --workers 1 >"$OUT/fc-fp-1.json" || true

node - "$OUT" <<'JS'
const fs = require('fs');
const out = process.argv[2];
const lines = fs.readFileSync(`${out}/results.txt`, 'utf8').split('\n').filter((l) => l.startsWith('MEDIAN'));
const spin = {};
for (const l of lines) {
  const m = l.match(/MEDIAN (\S+)\s+(\S+)\s+secs=([\d.]+) .*?: ([\d.]+) states\/s, (\d+) KiB/);
  if (m) spin[m[2]] = { secs: Number(m[3]), rssMiB: Number(m[5]) / 1024 };
}
const row = (name, file, ref) => {
  const j = JSON.parse(fs.readFileSync(`${out}/${file}`, 'utf8'));
  const rss = j.peakRssBytes / 2 ** 20;
  const s = spin[ref];
  console.log(
    `${name.padEnd(28)} ${j.seconds.toFixed(1).padStart(6)} s ${rss.toFixed(0).padStart(6)} MiB   ` +
      `vs Spin ${ref}: time x${(j.seconds / s.secs).toFixed(2)}, memory x${(rss / s.rssMiB).toFixed(2)}` +
      `   (${j.states} states, ${j.matchesPublished ? 'matches published' : 'DIFFERS'})`,
  );
};
console.log(`Spin: dfs ${spin.dfs.secs} s ${spin.dfs.rssMiB.toFixed(0)} MiB; bfs ${spin.bfs.secs} s ${spin.bfs.rssMiB.toFixed(0)} MiB`);
row('foliocheck exact, 1 thread', 'fc-exact-1.json', 'bfs');
row('foliocheck exact, 2 threads', 'fc-exact-2.json', 'bfs');
row('foliocheck fingerprint, 1 thr', 'fc-fp-1.json', 'dfs');
JS
