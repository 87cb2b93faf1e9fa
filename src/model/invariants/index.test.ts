/**
 * Invariants (docs/kernel-rules.md §5; bench-core "Invariants"): correct rules preserve every one of them along any
 * operation sequence, and each one does catch the state it is about.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  config,
  fault,
  folioOf,
  fork,
  kernelAfter,
  pageOf,
  pin,
  pinOf,
  pteOf,
  randomRun,
  zap,
} from '../../../test/helpers.js';
import { KernelSystem } from '../../spec.js';
import type { Config } from '../config.js';
import type { Kernel } from '../include/mm_types.js';
import { Truth } from '../recount/truth.js';
import { INVARIANTS, type Invariant, invariantsFor } from './index.js';

function broken(k: Kernel): string[] {
  const sys = new KernelSystem(k.cfg);
  const i = sys.checkKernel(k);
  return i < 0 ? [] : [sys.invariantNames[i] as string, ...sys.explain(i, k)];
}

const holdsAlongRandomRuns = (cfg: Config, numRuns: number) =>
  test.prop([fc.array(fc.nat(), { maxLength: 60 })], { numRuns })(
    `every invariant holds along random operation sequences (mms ${cfg.mms}, large ${cfg.large}, pins ${cfg.pins})`,
    (choices) => {
      for (const k of randomRun(cfg, choices).states) expect(broken(k)).toEqual([]);
    },
  );

describe('invariants hold under the correct rules (docs/kernel-rules.md §5)', () => {
  holdsAlongRandomRuns(config(), 150);
  holdsAlongRandomRuns(config({ mms: 3, large: 2, pins: 2 }), 150);
});

function byName(name: string): Invariant {
  const inv = [...INVARIANTS, ...invariantsFor(config({ tuple: true }))].find((x) => x.name === name);
  if (inv === undefined) throw new Error(`no invariant ${name}`);
  return inv;
}

/** The invariant holds in `good`, fails once `breakIt` changed a copy of it, and explains why in words. */
function expectCaught(name: string, good: Kernel, breakIt: (k: Kernel) => void): void {
  const inv = byName(name);
  const t = new Truth(good.cfg);
  t.recount(good);
  expect(inv.holds(good, t)).toBe(true);
  expect(inv.explain(good, t)).toEqual([]);
  breakIt(good);
  t.recount(good);
  expect(inv.holds(good, t)).toBe(false);
  expect(inv.explain(good, t).length).toBeGreaterThan(0);
}

describe('each invariant catches its violation', () => {
  it('ptesMapAllocatedPages: a PTE mapping a free slot (a use after free)', () => {
    expectCaught('ptesMapAllocatedPages', kernelAfter(config(), [fault(0, 0)]), (k) => {
      Object.assign(pteOf(k, 1, 0), { present: true, folio: 3, page: 0 });
    });
    expectCaught('ptesMapAllocatedPages', kernelAfter(config({ large: 1 }), [fault(0, 0)]), (k) => {
      pteOf(k, 0, 0).page = 1; // beyond nr_pages
    });
  });

  it('mapcountMatchesPageTables (I9): a _mapcount the page tables do not account for', () => {
    expectCaught('mapcountMatchesPageTables', kernelAfter(config(), [fault(0, 0)]), (k) => {
      pageOf(k, 0, 2)._mapcount = 2;
    });
  });

  it('refcountIsMappingsPlusPins (I8): a reference too many, or a free slot that is not clear', () => {
    expectCaught('refcountIsMappingsPlusPins', kernelAfter(config(), [fault(0, 0), pin(0, 0)]), (k) => {
      folioOf(k, 0)._refcount = 6;
    });
    expectCaught('refcountIsMappingsPlusPins', kernelAfter(config(), [fault(0, 0)]), (k) => {
      folioOf(k, 1)._refcount = 1;
    });
  });

  it('anonExclusiveMappedOnce (I2, I3): an AE page mapped by two mms', () => {
    expectCaught('anonExclusiveMappedOnce', kernelAfter(config(), [fault(0, 0), fork(0)]), (k) => {
      pageOf(k, 0, 1).anon_exclusive = true;
    });
  });

  it('writablePteIsExclusive (I1): a writable PTE on a shared page', () => {
    expectCaught('writablePteIsExclusive', kernelAfter(config(), [fault(0, 0), fork(0)]), (k) => {
      pteOf(k, 1, 3).write = true;
    });
  });

  it('pinSeesOwnersPage (I7): the owner maps another page than the pinned one', () => {
    expectCaught('pinSeesOwnersPage', kernelAfter(config(), [fault(0, 0), pin(0, 1)]), (k) => {
      pinOf(k, 0).page = 2;
    });
  });

  it('tupleCountMatchesPageTables (§3.2): the naive decrement desyncs on a partial zap (core-tuple)', () => {
    expectCaught('tupleCountMatchesPageTables', kernelAfter(config({ tuple: true }), [fault(0, 0)]), (k) => {
      const zapped = kernelAfter(config({ tuple: true }), [fault(0, 0), zap(0, 1, 1)]);
      Object.assign(k, { ...zapped, cfg: k.cfg });
    });
  });

  it('a scheme invariant applies only to configurations that keep the scheme; AE ones only from 5.19', () => {
    expect(invariantsFor(config()).map((i) => i.name)).not.toContain('tupleCountMatchesPageTables');
    expect(invariantsFor(config({ tuple: true })).map((i) => i.name)).toContain('tupleCountMatchesPageTables');
    // Every kernel invariant but the one judged only while a scheme decides, and the scheme's own.
    expect(invariantsFor(config({ tuple: true, data: true, map: 3 }))).toHaveLength(INVARIANTS.length - 1 + 1);
    expect(invariantsFor(config()).map((i) => i.name)).not.toContain('partiallyMappedIsQueued');
    expect(invariantsFor(config({ era: '6.15', decider: 'mm-id' })).map((i) => i.name)).toContain(
      'partiallyMappedIsQueued',
    );
    const old = invariantsFor(config({ era: '5.9' })).map((i) => i.name);
    expect(old).not.toContain('anonExclusiveMappedOnce');
    expect(old).not.toContain('writablePteIsExclusive');
    expect(invariantsFor(config({ era: '6.15' })).map((i) => i.name)).toContain('mmIdSharedBitIsSound');
  });
});
