/**
 * PMD-level anon rmap (folio_pmd_rmap.ts; docs/kernel-rules.md §2.1 step 5, §2.7, §2.9): the counters each call
 * moves, the refusal to share a maybe-pinned exclusive THP, and the law that adding then removing a mapping
 * restores the counters.
 */
import { fc, test } from '@fast-check/vitest';
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { config, folioOf, kernelAfter, pageOf, pin, THP_SWAP_OPS, thp } from '../../../../test/helpers.js';
import type { Kernel } from '../../include/mm_types.js';
import { createKernel } from '../../state/plain.js';
import {
  folio_add_anon_rmap_ptes,
  folio_add_new_anon_rmap_pmd,
  folio_remove_rmap_pmd,
  folio_try_dup_anon_rmap_pmd,
} from './folio_pmd_rmap.js';
import { folio_remove_rmap_ptes } from './folio_remove_rmap_ptes.js';

const cfg = config({ ops: THP_SWAP_OPS, tuple: true });

/** `k` after `edit` on its folio in slot 0, and what `edit` returned. */
function onFolio<R>(k: Kernel, edit: (k: Kernel) => R): { after: Kernel; ret: R | undefined } {
  let ret: R | undefined;
  const after = produce(k, (d) => {
    ret = edit(d as Kernel);
  });
  return { after, ret };
}

describe('PMD-level anon rmap (docs/kernel-rules.md §2.1 step 5, §2.7, §2.9)', () => {
  it('§2.1 step 5 folio_add_new_anon_rmap(RMAP_LEVEL_PMD): entire mapcount 1, AE on the head only, one tuple', () => {
    const k = createKernel(cfg);
    const { after } = onFolio(k, (d) => folio_add_new_anon_rmap_pmd(d, folioOf(d, 0), 0, 0));
    const want = produce(k, (d) => {
      Object.assign(folioOf(d as Kernel, 0), { _entire_mapcount: 1, mc: [1] });
      pageOf(d as Kernel, 0, 0).anon_exclusive = true;
    });
    expect(after).toEqual(want);
  });

  it('§2.7 folio_try_dup_anon_rmap_pmd(): an unpinned THP is shared: head AE cleared, entire +1, one tuple more', () => {
    const k = kernelAfter(cfg, [thp(0, 0)]);
    const { after, ret } = onFolio(k, (d) => folio_try_dup_anon_rmap_pmd(d, folioOf(d, 0), 1, 0));
    expect(ret).toBe(0);
    const want = produce(k, (d) => {
      Object.assign(folioOf(d as Kernel, 0), { _entire_mapcount: 2, mc: [2] });
      pageOf(d as Kernel, 0, 0).anon_exclusive = false;
    });
    expect(after).toEqual(want);
  });

  it('§2.7 + §5 I7: an exclusive head of a maybe-pinned THP is not shared (EBUSY), and nothing changes', () => {
    const k = kernelAfter(cfg, [thp(0, 0), pin(0, 2)]);
    const { after, ret } = onFolio(k, (d) => folio_try_dup_anon_rmap_pmd(d, folioOf(d, 0), 1, 0));
    expect(ret).toBe('EBUSY');
    expect(after).toBe(k);
  });

  it('§2.7: a head already shared (not AE) is shared again even if pinned: nothing exclusive is lost', () => {
    const k = produce(kernelAfter(cfg, [thp(0, 0), pin(0, 2)]), (d) => {
      pageOf(d as Kernel, 0, 0).anon_exclusive = false;
    });
    const { after, ret } = onFolio(k, (d) => folio_try_dup_anon_rmap_pmd(d, folioOf(d, 0), 1, 0));
    expect(ret).toBe(0);
    expect(folioOf(after, 0)._entire_mapcount).toBe(2);
  });

  it('§2.9 folio_add_anon_rmap_ptes(RMAP_EXCLUSIVE): every page +1 and AE; without it no AE bit changes', () => {
    const k = kernelAfter(cfg, [thp(0, 0)]);
    const excl = onFolio(k, (d) => folio_add_anon_rmap_ptes(d, folioOf(d, 0), 0, 4, true, 0, 0)).after;
    expect(folioOf(excl, 0).pages.map((p) => [p._mapcount, p.anon_exclusive])).toEqual([
      [1, true],
      [1, true],
      [1, true],
      [1, true],
    ]);
    const shared = onFolio(k, (d) => {
      pageOf(d, 0, 0).anon_exclusive = false;
      folio_add_anon_rmap_ptes(d, folioOf(d, 0), 1, 2, false, 0, 1);
    }).after;
    expect(folioOf(shared, 0).pages.map((p) => [p._mapcount, p.anon_exclusive])).toEqual([
      [0, false],
      [1, false],
      [1, false],
      [0, false],
    ]);
    expect(folioOf(shared, 0).mc[0]).toBe(2);
  });

  it('§2.6 step 7 folio_remove_rmap_pmd(): entire -1, one tuple fewer; AE and the page counts untouched', () => {
    const k = kernelAfter(cfg, [thp(0, 0)]);
    const { after } = onFolio(k, (d) => folio_remove_rmap_pmd(d, folioOf(d, 0), 0, 0));
    const want = produce(k, (d) => {
      Object.assign(folioOf(d as Kernel, 0), { _entire_mapcount: 0, mc: [0] });
    });
    expect(after).toEqual(want);
  });
});

describe('add then remove restores the counters', () => {
  /** A THP in slot 0 with arbitrary page mapcounts, entire mapcount and head AE already shared. */
  const arbitraryFolio = fc.record({
    maps: fc.array(fc.nat({ max: 3 }), { minLength: 4, maxLength: 4 }),
    entire: fc.nat({ max: 3 }),
  });

  test.prop([arbitraryFolio, fc.nat({ max: 3 }), fc.integer({ min: 1, max: 4 })], { numRuns: 100 })(
    'folio_add_anon_rmap_ptes(RMAP_NONE) then folio_remove_rmap_ptes() over the same pages',
    ({ maps, entire }, first, len) => {
      const nr = Math.min(len, 4 - first);
      const k = produce(kernelAfter(cfg, [thp(0, 0)]), (d) => {
        const folio = folioOf(d as Kernel, 0);
        folio._entire_mapcount = entire;
        folio.pages.forEach((p, j) => {
          p._mapcount = maps[j] ?? 0;
          p.anon_exclusive = false;
        });
      });
      const { after } = onFolio(k, (d) => {
        folio_add_anon_rmap_ptes(d, folioOf(d, 0), first, nr, false, 0, first);
        folio_remove_rmap_ptes(d, folioOf(d, 0), first, nr, 0, first);
      });
      expect(after).toEqual(k);
    },
  );

  test.prop([fc.nat({ max: 3 })], { numRuns: 20 })(
    'folio_try_dup_anon_rmap_pmd() of a shared head, then folio_remove_rmap_pmd()',
    (extra) => {
      const k = produce(kernelAfter(cfg, [thp(0, 0)]), (d) => {
        const folio = folioOf(d as Kernel, 0);
        folio._entire_mapcount += extra;
        folio.mc[0] = (folio.mc[0] as number) + extra;
        pageOf(d as Kernel, 0, 0).anon_exclusive = false;
      });
      const { after, ret } = onFolio(k, (d) => {
        const r = folio_try_dup_anon_rmap_pmd(d, folioOf(d, 0), 1, 0);
        folio_remove_rmap_pmd(d, folioOf(d, 0), 0, 0);
        return r;
      });
      expect(ret).toBe(0);
      expect(after).toEqual(k);
    },
  );
});

describe('the PMD level reaches the schemes', () => {
  // A scheme that counts a PMD as all of its pages (total-mapped-pages) tells a PMD mapping from one PTE
  // mapping of the head page, which a tuple or the large mapcount do not (both count 1 either way).
  const counted = config({ ops: THP_SWAP_OPS, schemes: ['total-mapped-pages'] });

  it('§2.7 folio_try_dup_anon_rmap_pmd(): the child’s PMD counts the whole folio; §2.6 step 7: its removal uncounts it', () => {
    const k = kernelAfter(counted, [thp(0, 0)]);
    expect(folioOf(k, 0).mc).toEqual([4]);
    const shared = onFolio(k, (d) => folio_try_dup_anon_rmap_pmd(d, folioOf(d, 0), 1, 0));
    expect(shared.ret).toBe(0);
    expect(folioOf(shared.after, 0).mc).toEqual([8]);
    const removed = onFolio(shared.after, (d) => folio_remove_rmap_pmd(d, folioOf(d, 0), 1, 0));
    expect(folioOf(removed.after, 0).mc).toEqual([4]);
  });
});
