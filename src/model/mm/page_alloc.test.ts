/**
 * folio_alloc(), free_slots_at_least(), free_folio() and bad_page() for the schemes (page_alloc.ts), called
 * directly: which slot a folio gets, what a freed slot holds, and which scheme a folio freed out of sync
 * taints. The steps reach them through every fault, COW copy, split and unmap; these pin them one by one.
 */
import { describe, expect, it } from 'vitest';
import { config, fault, folioOf, kernelAfter, pageOf, write } from '../../../test/helpers.js';
import { KernelWarning } from '../debug.js';
import type { Kernel } from '../include/mm_types.js';
import { schemeSlots } from '../mapcount/index.js';
import { createKernel } from '../state/plain.js';
import { folio_alloc, free_folio, free_slots_at_least, NO_SLOT } from './page_alloc.js';

/** Four folio slots, one mm, small folios unless `large` says otherwise. */
const cfg = (over: Parameters<typeof config>[0] = {}) => config({ mms: 1, slots: 4, pins: 0, ...over });

/** A kernel whose slots `used` hold folios of one page at refcount 1 (allocated in slot order, then freed). */
function withUsed(k: Kernel, used: readonly number[]): Kernel {
  const n = Math.max(-1, ...used) + 1;
  for (let s = 0; s < n; s++) expect(folio_alloc(k, 1)).toBe(s);
  for (let s = 0; s < n; s++) if (!used.includes(s)) free_folio(k, s);
  return k;
}

describe('folio_alloc (mm/page_alloc.c)', () => {
  it('takes the lowest free slot: a folio of nr pages at refcount 1, one more folio counted', () => {
    const k = withUsed(createKernel(cfg({ large: 4 })), [1, 3]);
    expect(k.nr_folios).toBe(2);
    expect(folio_alloc(k, 4)).toBe(0);
    expect(folioOf(k, 0)).toMatchObject({ used: true, nr_pages: 4, _refcount: 1 });
    expect(k.nr_folios).toBe(3);
    expect(folio_alloc(k, 1)).toBe(2);
    expect(folioOf(k, 2)).toMatchObject({ used: true, nr_pages: 1, _refcount: 1 });
    expect(k.nr_folios).toBe(4);
  });

  it('every slot in use: NO_SLOT, and nothing changes', () => {
    const k = withUsed(createKernel(cfg()), [0, 1, 2, 3]);
    const before = structuredClone(k.folio);
    expect(folio_alloc(k, 1)).toBe(NO_SLOT);
    expect(k.folio).toEqual(before);
    expect(k.nr_folios).toBe(4);
  });
});

describe('free_slots_at_least', () => {
  it('counts the free slots: at least as many as free, not one more', () => {
    const k = withUsed(createKernel(cfg()), [0, 2]);
    expect(free_slots_at_least(k, 1)).toBe(true);
    expect(free_slots_at_least(k, 2)).toBe(true);
    expect(free_slots_at_least(k, 3)).toBe(false);
  });

  it('zero more folios can always be allocated, even with every slot in use (a split with no mapped tail)', () => {
    const full = withUsed(createKernel(cfg()), [0, 1, 2, 3]);
    expect(free_slots_at_least(full, 0)).toBe(true);
    expect(free_slots_at_least(full, 1)).toBe(false);
  });
});

describe('free_folio (free_pages_prepare())', () => {
  it('the slot goes back empty: no AE bit, no contents, no pages, no reference, not queued, scheme words 0', () => {
    const k = kernelAfter(cfg({ large: 4, data: true, schemes: ['tuple-naive'], ops: ['write', 'zap'] }), [
      write(0, 0),
    ]);
    const folio = folioOf(k, 0);
    expect(folio.nr_pages).toBe(4);
    // As the last unmap leaves it, with a stale AE bit and contents on every page and the flag set.
    for (let j = 0; j < 4; j++) {
      const page = pageOf(k, 0, j);
      page._mapcount = 0;
      page.anon_exclusive = true;
      page.data = 7;
    }
    folio.partially_mapped = 1;
    for (let i = 0; i < folio.mc.length; i++) folio.mc[i] = 0;
    expect(folio.mc.length).toBeGreaterThan(0);
    const nr = k.nr_folios;
    free_folio(k, 0);
    expect(folio).toMatchObject({ used: false, nr_pages: 0, _refcount: 0, partially_mapped: 0 });
    for (let j = 0; j < 4; j++) expect(pageOf(k, 0, j)).toMatchObject({ anon_exclusive: false, data: 0 });
    expect(Array.from({ length: folio.mc.length }, (_, i) => folio.mc[i])).toEqual(new Array(folio.mc.length).fill(0));
    expect(k.nr_folios).toBe(nr - 1);
    expect(k.bad_page).toBe(0);
  });

  it('bad_page(): a folio freed while mapped (a page or by a PMD) or pinned is a kernel warning', () => {
    const mapped = kernelAfter(cfg({ large: 1 }), [fault(0, 0)]);
    expect(() => free_folio(mapped, 0)).toThrow(KernelWarning);
    const pinned = kernelAfter(cfg({ large: 1 }), [fault(0, 0)]);
    pageOf(pinned, 0, 0)._mapcount = 0;
    folioOf(pinned, 0)._pincount = 1;
    expect(() => free_folio(pinned, 0)).toThrow(KernelWarning);
    const pmd = kernelAfter(cfg({ large: 1 }), [fault(0, 0)]);
    pageOf(pmd, 0, 0)._mapcount = 0;
    folioOf(pmd, 0)._entire_mapcount = 1;
    expect(() => free_folio(pmd, 0)).toThrow(KernelWarning);
    const clean = kernelAfter(cfg({ large: 1 }), [fault(0, 0)]);
    pageOf(clean, 0, 0)._mapcount = 0;
    expect(() => free_folio(clean, 0)).not.toThrow();
  });

  it('bad_page() for the schemes: the bit of the scheme whose words are not zero, only that one', () => {
    const c = cfg({ large: 4, schemes: ['large-mapcount', 'tuple-naive'], ops: ['write', 'zap'] });
    const slots = schemeSlots(c);
    expect(slots.length).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < slots.length; i++) {
      const { scheme, o } = slots[i] as (typeof slots)[number];
      // Each scheme's last word only, then its first: the test must look at every word of a scheme.
      for (const j of [scheme.words.length - 1, 0]) {
        const k = kernelAfter(c, [write(0, 0)]);
        const folio = folioOf(k, 0);
        for (let p = 0; p < 4; p++) pageOf(k, 0, p)._mapcount = 0;
        for (let w = 0; w < folio.mc.length; w++) folio.mc[w] = 0;
        folio.mc[o + j] = 1;
        free_folio(k, 0);
        expect(k.bad_page).toBe(1 << i);
        expect(Array.from({ length: folio.mc.length }, (_, i) => folio.mc[i])).toEqual(
          new Array(folio.mc.length).fill(0),
        );
      }
    }
  });
});
