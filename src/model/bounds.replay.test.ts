/**
 * The kernel's geometry for replays: `run` and `kernel` take 512 PTEs per table (a real PMD THP) although a
 * search stays within LIMITS; the codec's widths follow the bounds, so a replay re-encodes every step.
 */
import { describe, expect, test } from 'vitest';
import { runSteps } from '../app/run.js';
import { checkBounds, LIMITS, REPLAY_LIMITS } from './bounds.js';
import { BoundsRejected } from './config.js';
import { makeConfig } from './configure.js';

const kernelGeometry = {
  mms: 2,
  va: 1024,
  pt: 512,
  large: 4,
  slots: 8,
  pins: 1,
  map: 512,
  data: true,
  ops: ['thp', 'fault', 'fork', 'write', 'read', 'zap', 'split_pmd', 'mprotect'],
} as const;

describe('bounds: replay geometry', () => {
  test('a search refuses --pt 512, naming the search limit and the commands that accept it', () => {
    const errors = checkBounds(kernelGeometry);
    expect(errors.map((e) => e.field).sort()).toEqual(['map', 'pt', 'va']);
    expect(errors.find((e) => e.field === 'pt')?.expected).toMatch(
      `1..${LIMITS.pt} (up to ${REPLAY_LIMITS.pt} only for run and kernel`,
    );
    expect(() => makeConfig(kernelGeometry)).toThrow(BoundsRejected);
  });

  test('a replay accepts it, and beyond REPLAY_LIMITS is refused for replays too', () => {
    expect(checkBounds(kernelGeometry, 'replay')).toEqual([]);
    expect(checkBounds({ ...kernelGeometry, pt: 1024, va: 1024 }, 'replay').map((e) => e.field)).toEqual(['pt']);
  });

  test('a PMD THP of 512 pages: fork, COW of one page, PTE-mapping by mprotect, every step re-encoded', () => {
    const cfg = makeConfig(kernelGeometry, 'replay');
    const r = runSteps(cfg, 'thp(0,0); fork(0); write(1,5); mprotect(0,1,1,ro); read(0,300); zap(0,1,1)', 't');
    expect(r.verdict.kind).toBe('success');
    const k = r.run.replay.steps.at(-1)?.after;
    // mm0 keeps 511 pages of the THP; mm1 still maps all 512 (page 5 COWed away).
    expect(k?.mm[0]?.pte.filter((p) => p.present).length).toBe(511);
    expect(k?.mm[1]?.pte.filter((p) => p.present).length).toBe(512);
    expect(k?.folio.find((f) => f.used && f.nr_pages === 512)?._refcount).toBe(511 + 511);
  });
});
