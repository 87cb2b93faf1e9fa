/**
 * `npm run bench`: bench-core figures for every variant and both visited-state stores.
 *
 * Each run is a fresh `foliocheck bench` process, so its peak RSS is its own. Counts are checked against
 * the published figures (docs/bench-core.md); a mismatch makes the whole bench exit 1.
 *
 *   npm run bench                      p0, s5, tuple and the whole model (to depth 6); exact and
 *                                      fingerprint; 1 thread, and s5 on 2
 *   npm run bench -- --full            adds core-safe (12.4M states)
 *   npm run bench -- --only core-safe-s5 --workers 1,2
 *   npm run bench -- --matrix          only the matrix (every era x AE x scheme over the standard mixes)
 *
 * Without --only, the last line is the whole matrix (`foliocheck matrix --json`): its runs, states and
 * time, one thread.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Run {
  readonly variant: string;
  readonly store: 'exact' | 'fingerprint';
  readonly workers: number;
  /** Extra search options (the whole model is explored to a depth bound). */
  readonly extra?: readonly string[];
}

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const full = args.includes('--full');
const only = flag('--only')?.split(',');
const workerList = (flag('--workers') ?? '1').split(',').map(Number);
const matrixOnly = args.includes('--matrix');

const variants = matrixOnly
  ? []
  : (only ?? ['core-tuple', 'core-safe-p0', 'core-safe-s5', ...(full ? ['core-safe'] : []), 'whole-model']);
/** The whole model has no published count: it is explored to this depth, for throughput. */
const WHOLE_MODEL_DEPTH = '6';
const runs: Run[] = [];
for (const variant of variants) {
  for (const store of ['exact', 'fingerprint'] as const) {
    for (const workers of workerList) {
      runs.push(
        variant === 'whole-model'
          ? { variant, store, workers, extra: ['--max-depth', WHOLE_MODEL_DEPTH] }
          : { variant, store, workers },
      );
    }
  }
}
if (!matrixOnly && flag('--workers') === undefined && variants.includes('core-safe-s5')) {
  runs.push({ variant: 'core-safe-s5', store: 'exact', workers: 2 });
  runs.push({ variant: 'core-safe-s5', store: 'fingerprint', workers: 2 });
}

const bin = fileURLToPath(new URL('../src/cli/bin.js', import.meta.url));
const header = ['variant', 'store', 'thr', 'states', 'edges', 'depth', 'seconds', 'states/s', 'peak RSS', 'published'];
const widths = [14, 11, 3, 11, 12, 5, 8, 10, 9, 9];
const row = (cells: string[]): string =>
  cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 8) : c.padStart(widths[i] ?? 8))).join(' ');
process.stdout.write(`${row(header)}\n`);

let failed = false;
for (const r of runs) {
  const res = spawnSync(
    process.execPath,
    [bin, 'bench', r.variant, '--store', r.store, '--workers', String(r.workers), '--json', ...(r.extra ?? [])],
    { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
  );
  let out: Record<string, unknown>;
  try {
    out = JSON.parse(res.stdout) as Record<string, unknown>;
  } catch {
    process.stdout.write(`${r.variant} ${r.store}: no result (exit ${res.status}): ${res.stderr.slice(0, 500)}\n`);
    failed = true;
    continue;
  }
  const n = (k: string): number => Number(out[k]);
  const published = out.published !== undefined;
  const matches = out.matchesPublished === true;
  failed ||= !matches;
  const depth = out.kind === 'invariant-violated' ? `cex ${(out.trace as unknown[]).length}` : String(n('depth'));
  process.stdout.write(
    `${row([
      r.variant,
      r.store,
      String(r.workers),
      n('states').toLocaleString('en-US'),
      n('edges').toLocaleString('en-US'),
      depth,
      n('seconds').toFixed(2),
      Math.round(n('statesPerSecond')).toLocaleString('en-US'),
      `${(n('peakRssBytes') / 2 ** 20).toFixed(0)} MiB`,
      !published ? `d<=${r.extra?.[1] ?? '?'}` : matches ? 'match' : 'DIFFERS',
    ])}\n`,
  );
}
if (only === undefined) {
  // The matrix: one process, its own peak RSS; states are summed over its runs.
  const t0 = performance.now();
  const res = spawnSync(process.execPath, [bin, 'matrix', '--json'], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  const seconds = (performance.now() - t0) / 1000;
  try {
    const m = JSON.parse(res.stdout) as { runs: { states: number; covered: boolean }[]; peakRssBytes: number };
    const states = m.runs.reduce((n, r) => n + r.states, 0);
    const covered = m.runs.every((r) => r.covered);
    process.stdout.write(
      `${row([
        'matrix',
        `${m.runs.length} runs`,
        '1',
        states.toLocaleString('en-US'),
        '',
        '',
        seconds.toFixed(2),
        Math.round(states / seconds).toLocaleString('en-US'),
        `${(m.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
        covered ? 'covered' : 'CUT SHORT',
      ])}\n`,
    );
    failed ||= !covered;
  } catch {
    process.stdout.write(`matrix: no result (exit ${res.status}): ${res.stderr.slice(0, 500)}\n`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
