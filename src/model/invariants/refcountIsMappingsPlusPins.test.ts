/**
 * refcountIsMappingsPlusPins (docs/kernel-rules.md §1.5, §5 I8): a folio's _refcount is its mappings plus its
 * pins, plus its FOLL_GET references and the swapcache's reference, and a free slot holds all zeros. On the
 * states the kernel's steps make with a FOLL_GET reference and with a swapcache folio, which keep it, and on
 * states broken by hand, with the words explain() gives: each term of the sum is named when it counts.
 * (Its mutation run showed no test ever read those words, nor left a freed slot's page count or pins set.)
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  fault,
  folioOf,
  fork,
  get,
  invariantVerdict,
  kernelAfter,
  read,
  reclaim,
  THP_SWAP_OPS,
  write,
  zap,
} from '../../../test/helpers.js';
import type { Kernel } from '../include/mm_types.js';
import { CORE_OPS } from '../steps/index.js';
import refcountIsMappingsPlusPins from './refcountIsMappingsPlusPins.js';

const verdict = (k: Kernel) => invariantVerdict(refcountIsMappingsPlusPins, k);

/** Two page tables of two PTEs, folios of two pages, two swap slots, FOLL_GET references. */
const swapping = config({ mms: 2, va: 4, pt: 2, large: 2, slots: 5, pins: 1, swap: 2, ops: [...THP_SWAP_OPS, 'get'] });

/** Folio 0 holds one reference per PTE (two) and one for a FOLL_GET reference (vmsplice()). */
const withGet = (): Kernel => kernelAfter(swapping, [write(0, 0), get(0, 1)]);

/** Folio 0 is mm0's swapped-in page, still in the swapcache (mm1 keeps the swap entry): one mapping + the cache. */
const inSwapcache = (): Kernel => kernelAfter(swapping, [write(0, 0), fork(0), reclaim(0, 0, 1), read(0, 0)]);

describe('refcountIsMappingsPlusPins: the references the kernel takes', () => {
  it('holds for a folio with a FOLL_GET reference: explain names nothing either', () => {
    const k = withGet();
    expect(folioOf(k, 0)._refcount).toBe(3);
    expect(verdict(k)).toEqual({ ok: true, lines: [] });
  });

  it('holds for a folio in the swapcache: explain names nothing either', () => {
    const k = inSwapcache();
    expect(k.swap[0]).toMatchObject({ cache: true, folio: 0 });
    expect(folioOf(k, 0)._refcount).toBe(2);
    expect(verdict(k)).toEqual({ ok: true, lines: [] });
  });
});

describe('refcountIsMappingsPlusPins: a reference no one holds', () => {
  it('one too many beside a FOLL_GET reference: the references are named', () => {
    const k = withGet();
    folioOf(k, 0)._refcount += 1;
    expect(verdict(k)).toEqual({
      ok: false,
      lines: ['folio 0: _refcount 4, but mappings 2 + _pincount 0 + FOLL_GET references 1'],
    });
  });

  it('one too many on a swapcache folio: the swapcache’s reference is named', () => {
    const k = inSwapcache();
    folioOf(k, 0)._refcount += 1;
    expect(verdict(k)).toEqual({
      ok: false,
      lines: ['folio 0: _refcount 3, but mappings 1 + _pincount 0 + the swapcache 1'],
    });
  });
});

describe('refcountIsMappingsPlusPins: a reference lost', () => {
  // The count equals mappings + pins, as if the other reference had never been taken: the check once
  // accepted that sum alone, whatever FOLL_GET or swapcache references the folio had.
  it('one too few beside a FOLL_GET reference', () => {
    const k = withGet();
    folioOf(k, 0)._refcount -= 1;
    expect(verdict(k)).toEqual({
      ok: false,
      lines: ['folio 0: _refcount 2, but mappings 2 + _pincount 0 + FOLL_GET references 1'],
    });
  });

  it('one too few on a swapcache folio', () => {
    const k = inSwapcache();
    folioOf(k, 0)._refcount -= 1;
    expect(verdict(k)).toEqual({
      ok: false,
      lines: ['folio 0: _refcount 1, but mappings 1 + _pincount 0 + the swapcache 1'],
    });
  });
});

describe('refcountIsMappingsPlusPins: a free slot holds all zeros', () => {
  const freed = (): Kernel => kernelAfter(config({ ops: CORE_OPS }), [fault(0, 0), zap(0, 0, 4)]);

  it('holds for the slot free_folio() cleared', () => {
    const k = freed();
    expect(folioOf(k, 0).used).toBe(false);
    expect(verdict(k)).toEqual({ ok: true, lines: [] });
  });

  it('a freed slot that kept its page count, or a pin count, breaks it', () => {
    const pages = freed();
    folioOf(pages, 0).nr_pages = 4;
    expect(verdict(pages)).toEqual({ ok: false, lines: ['folio slot 0 is free but not clear'] });
    const pins = freed();
    folioOf(pins, 0)._pincount = 1;
    expect(verdict(pins)).toEqual({ ok: false, lines: ['folio slot 0 is free but not clear'] });
  });
});
