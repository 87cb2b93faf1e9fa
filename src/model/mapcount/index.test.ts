/**
 * Laws of the mapcount schemes, along random runs (fast-check): the merged kernel schemes never desync under
 * any era or AE granularity; the tuple scan is exact as long as no operation changes pairs without an rmap
 * call; adding a scheme changes neither the kernel's behaviour nor the other schemes' words.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { config, randomRun } from '../../../test/helpers.js';
import { KernelSystem } from '../../spec.js';
import { BoundsRejected } from '../config.js';
import { ERAS } from '../eras.js';
import { Truth } from '../recount/truth.js';
import type { OpName } from '../steps/index.js';
import { SCHEME_NAMES, SCHEMES, schemeSlots } from './index.js';

const policy = fc.record({
  era: fc.constantFrom(...ERAS),
  ae: fc.constantFrom('page' as const, 'folio' as const),
});
const choices = fc.array(fc.nat(), { maxLength: 30 });
const WHOLE: OpName[] = [
  'fault',
  'zap',
  'fork',
  'write',
  'exit',
  'munmap',
  'mremap',
  'dontfork',
  'dofork',
  'thp',
  'split_pmd',
  'split_folio',
  'pin',
  'unpin',
  'reclaim',
];

function failing(schemes: readonly string[], ops: readonly OpName[], era: string, ae: 'page' | 'folio', c: number[]) {
  const cfg = config({
    mms: 3,
    va: 8,
    pt: 4,
    large: 4,
    slots: 8,
    pins: 1,
    map: 4,
    swap: 2,
    data: true,
    ops,
    era: era as never,
    ae,
    schemes,
  });
  const sys = new KernelSystem(cfg);
  return randomRun(cfg, c)
    .states.map((k) => sys.invariantNames[sys.checkKernel(k)])
    .filter((n) => n !== undefined);
}

describe('mapcount schemes', () => {
  test.prop([policy, choices], { numRuns: 40 })(
    'page-mapcount, large-mapcount, mm-id and total-mapped-pages agree with the page tables after every step',
    ({ era, ae }, c) => {
      const names = failing(['page-mapcount', 'large-mapcount', 'mm-id', 'total-mapped-pages'], WHOLE, era, ae, c);
      const schemes = [
        'pageMapcountMatchesPageTables',
        'largeMapcountMatchesPageTables',
        'mmIdSharedBitIsSound',
        'totalMappedPagesMatchesPageTables',
      ];
      expect(names.filter((n) => schemes.includes(n))).toEqual([]);
    },
  );

  test.prop([policy, choices], { numRuns: 30 })(
    "query: page-mapcount's, large-mapcount's and mm-id's folio_mapcount() is every mapping of the folio",
    ({ era, ae }, c) => {
      const cfg = config({
        mms: 3,
        va: 8,
        pt: 4,
        large: 4,
        slots: 8,
        pins: 1,
        map: 4,
        ops: WHOLE,
        era,
        ae,
        schemes: ['page-mapcount', 'large-mapcount', 'mm-id'],
      });
      const t = new Truth(cfg);
      for (const k of randomRun(cfg, c).states) {
        t.recount(k);
        for (let u = 0; u < t.nrUsed; u++) {
          const s = t.used[u] as number;
          const folio = k.folio[s] as (typeof k.folio)[number];
          if (folio.nr_pages <= 1) continue;
          for (const { scheme, o } of schemeSlots(cfg)) expect(scheme.folio_mapcount(folio, o)).toBe(t.folioMaps(s));
        }
      }
    },
  );

  test.prop([policy, choices], { numRuns: 40 })(
    'tuple-scan is exact when nothing moves PTEs between pairs without rmap (no mremap, munmap, DONTFORK)',
    ({ era, ae }, c) => {
      const ops: OpName[] = ['fault', 'zap', 'fork', 'write', 'exit', 'thp', 'split_pmd', 'split_folio', 'reclaim'];
      expect(failing(['tuple-scan'], ops, era, ae, c)).not.toContain('tupleScanMatchesPageTables');
    },
  );

  test.prop([choices], { numRuns: 30 })(
    'a scheme never changes a kernel decision before 6.15: the same runs reach the same kernel states',
    (c) => {
      const base = config({ mms: 2, va: 8, pt: 4, large: 4, slots: 8, pins: 1, map: 4, ops: WHOLE, era: '5.19' });
      const all = config({ ...base.bounds(), schemes: [...SCHEME_NAMES] });
      const strip = (k: ReturnType<typeof randomRun>['states'][number]) =>
        JSON.stringify({ mm: k.mm, pin: k.pin, folio: k.folio.map(({ mc: _mc, ...f }) => f) });
      expect(randomRun(all, c).states.map(strip)).toEqual(randomRun(base, c).states.map(strip));
    },
  );

  it('lay out their words in registry order whatever order they are named in', () => {
    const a = schemeSlots(config({ schemes: ['mm-id', 'tuple-naive'] }));
    expect(a.map((s) => [s.scheme.name, s.o])).toEqual([
      ['tuple-naive', 0],
      ['mm-id', 1],
    ]);
    expect(config({ schemes: [...SCHEME_NAMES] }).mcWords).toBe(SCHEMES.reduce((n, s) => n + s.words.length, 0));
  });

  it('an unknown scheme is an error naming the field and the known ones', () => {
    // The bounds schema refuses it before any layout is made.
    expect(() => config({ schemes: ['tuple-lazy'] })).toThrow(BoundsRejected);
    expect(() => config({ schemes: ['tuple-lazy'] })).toThrow(/schemes: expected a list of page-mapcount/);
  });

  it('era 6.15 always keeps mm-id, which its COW reuse reads', () => {
    expect(config({ era: '6.15' }).schemes).toEqual(['mm-id']);
  });
});
