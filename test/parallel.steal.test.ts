/**
 * Work stealing in the parallel search (src/checker/parallelWorker.ts): a worker done with its own part of
 * a level expands states of another's part. Made certain here by slowing one worker down
 * (`handicapMicros`, a slower core): the other must take states from it, in either direction and on three
 * workers, and the counts, levels and coverage stay those of one thread; a checkpointed pause of a search
 * that steals (often while a stolen share is being expanded, not always) resumes to the same counts. Worker threads load compiled JavaScript: dist/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type * as Configure from '../src/model/configure.js';
import type * as Presets from '../src/model/presets.js';
import type * as Spec from '../src/spec.js';

const dist = (path: string): string => new URL(`../dist/${path}`, import.meta.url).href;
const { exploreKernel, KernelSystem } = (await import(dist('src/spec.js'))) as typeof Spec;
const { PRESETS } = (await import(dist('src/model/presets.js'))) as typeof Presets;
const { makeConfig } = (await import(dist('src/model/configure.js'))) as typeof Configure;

const dir = mkdtempSync(join(tmpdir(), 'foliocheck-steal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const p0 = () => new KernelSystem(makeConfig(PRESETS['core-safe-p0']), 'p0');
const figures = (v: Awaited<ReturnType<typeof exploreKernel>>) => ({
  kind: v.kind,
  states: v.stats.states,
  edges: v.stats.edges,
  depth: v.stats.depth,
  levels: v.stats.levels,
  coverage: v.coverage,
});
const one = await exploreKernel(p0());

describe('work stealing', () => {
  const cases: { workers: number; handicapMicros: number[]; store: 'exact' | 'fingerprint' }[] = [
    { workers: 2, handicapMicros: [0, 40], store: 'exact' },
    { workers: 2, handicapMicros: [40, 0], store: 'fingerprint' },
    { workers: 3, handicapMicros: [0, 0, 60], store: 'exact' },
  ];
  for (const { workers, handicapMicros, store } of cases) {
    it(`a slower worker's part is shared, with the one-thread counts (${handicapMicros.join('/')} µs, ${store})`, async () => {
      const v = await exploreKernel(p0(), { workers, store, handicapMicros });
      expect(one.kind).toBe('success');
      expect(figures(v)).toEqual(figures(one));
      expect(v.stats.stolen).toBeGreaterThan(0);
    }, 60_000);
  }

  it('a search without a slower worker still reports what it stole (a count, possibly 0)', async () => {
    const v = await exploreKernel(p0(), { workers: 2 });
    expect(figures(v)).toEqual(figures(one));
    expect(Number.isInteger(v.stats.stolen)).toBe(true);
    // One thread steals from no one.
    expect(one.stats.stolen).toBeUndefined();
  }, 60_000);

  for (const store of ['exact', 'fingerprint'] as const) {
    it(`a pause in a search whose faster worker steals is written and resumes to the same counts (${store})`, async () => {
      const ck = { dir: join(dir, store), everyMs: Number.POSITIVE_INFINITY, key: 'p0' };
      const handicapMicros = [0, 60];
      // An interrupt pauses the workers (a checkpointed stop) in the middle of a level, once the search is
      // past its small first levels, where nobody has 128 states left to give: by progress, not by time,
      // which on a loaded machine could fall before the first steal.
      const interrupt = new AbortController();
      const cut = await exploreKernel(p0(), {
        workers: 2,
        store,
        handicapMicros,
        checkpoint: ck,
        signal: interrupt.signal,
        progressEverySeconds: 0.02,
        onProgress: (p) => {
          if (p.states >= 60_000) interrupt.abort();
        },
      });
      expect(cut.kind).toBe('incomplete');
      expect(cut.stats.stolen).toBeGreaterThan(0);
      const resumed = await exploreKernel(p0(), {
        workers: 2,
        store,
        handicapMicros,
        checkpoint: { ...ck, resume: true },
      });
      expect(figures(resumed)).toEqual(figures(one));
      expect(resumed.stats.stolen).toBeGreaterThan(cut.stats.stolen ?? 0);
    }, 60_000);
  }
});
