/**
 * The matrix's searches side by side in worker threads give the same table as one thread. Worker threads
 * load compiled JavaScript, so this suite drives the build in dist/ (`npm test` builds first).
 */
import { describe, expect, it } from 'vitest';
import type * as MatrixModule from '../src/matrix.js';

const dist = (path: string): string => new URL(`../dist/${path}`, import.meta.url).href;
const { MIXES, POLICIES, runMatrix } = (await import(dist('src/matrix.js'))) as typeof MatrixModule;

/** The table without its timings. */
const table = (m: MatrixModule.Matrix) => ({
  rows: m.rows,
  runs: m.runs.map(
    ({ seconds: _s, stats: { seconds: _t, statesPerSecond: _r, peakRssBytes: _p, ...stats }, ...r }) => ({
      ...r,
      stats,
    }),
  ),
});

describe('matrix on several threads', () => {
  it('gives the same cells, runs and figures as one thread', async () => {
    const sel = {
      policies: POLICIES.filter((p) => p.era === '5.8' || (p.era === '6.15' && p.ae === 'page')),
      // three-mms to depth 7 (the main job's is 9): the same table on any number of threads is what is checked.
      mixes: MIXES.filter((x) => x.name === 'partial-unmap' || x.name === 'pins' || x.name === 'three-mms').map((x) =>
        x.name === 'three-mms' ? { ...x, depth: 7 } : x,
      ),
    };
    const one = await runMatrix({ ...sel, workers: 1 });
    const three = await runMatrix({ ...sel, workers: 3 });
    expect(three.runs).toHaveLength(sel.policies.length * sel.mixes.length);
    expect(table(three)).toEqual(table(one));
    expect(three.schemeFigures).toEqual(one.schemeFigures);
  }, 300_000);

  it('stops when interrupted: the runs in progress end early and no other run starts', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 500);
    const total = POLICIES.length * MIXES.length;
    const m = await runMatrix({ workers: 2, signal: stop.signal });
    expect(m.runs.length).toBeLessThan(total);
    for (const r of m.runs.filter((x) => !x.covered)) expect(r.incomplete?.reason).toBe('interrupted');
  }, 60_000);
});
