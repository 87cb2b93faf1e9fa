/**
 * do_wp_page(): write fault (docs/kernel-rules.md §2.2, era D: 5.19-6.14) and unshare fault (§2.4) on a present,
 * read-only PTE (bench-core action 4 `wp`; the unshare is pin's first half, action 5).
 */
import { describe, it } from 'vitest';
import {
  config,
  expectRefused,
  expectStep,
  fault,
  folioOf,
  fork,
  freeSlot,
  kernelAfter,
  pageOf,
  pin,
  pteOf,
  wp,
  zap,
} from '../../../../test/helpers.js';
import type { Kernel } from '../../include/mm_types.js';
import { do_wp_page } from './do_wp_page.js';

const unshare =
  (m: number, a: number) =>
  (k: Kernel): 0 | string =>
    do_wp_page(k, m, a, 'unshare');

/** Small folios only (large 1): the fixtures below need order-0 folios. */
const small = (over = {}) => config({ large: 1, ...over });

/** A small folio at mm0 address 0, no longer AE, read-only, refcount 1: the child that shared it zapped it. */
const unsharedSmall = [fault(0, 0), fork(0), zap(1, 0, 1)];

describe('do_wp_page, write fault (docs/kernel-rules.md §2.2)', () => {
  it('§2.2 era D: an AE page is reused without looking at any counter (here a pin holds a second reference)', () => {
    // The pin's unshare made the page AE again, leaving the PTE read-only (§2.4); refcount is 2.
    const before = kernelAfter(small(), [...unsharedSmall, pin(0, 0)]);
    expectStep(before, wp(0, 0), (d) => {
      pteOf(d, 0, 0).write = true; // wp_page_reuse(): same page, now writable; no counter changes
    });
  });

  it('§2.2 wp_can_reuse_anon_folio(): a small folio whose only reference is this mapping is reused and made AE', () => {
    const before = kernelAfter(small(), unsharedSmall);
    expectStep(before, wp(0, 0), (d) => {
      pageOf(d, 0, 0).anon_exclusive = true;
      pteOf(d, 0, 0).write = true;
    });
  });

  it('§2.2 wp_page_copy(): a shared small folio is copied: new AE order-0 folio mapped RW, old rmap and ref dropped', () => {
    const before = kernelAfter(small({ tuple: true }), [fault(0, 0), fork(0)]);
    expectStep(before, wp(1, 0), (d) => {
      d.nr_folios += 1;
      Object.assign(folioOf(d, 1), { used: true, nr_pages: 1, _refcount: 1, mc: [1] });
      Object.assign(pageOf(d, 1, 0), { _mapcount: 1, anon_exclusive: true });
      Object.assign(pteOf(d, 1, 0), { present: true, write: true, folio: 1, page: 0 });
      pageOf(d, 0, 0)._mapcount = 1;
      folioOf(d, 0)._refcount = 1;
      folioOf(d, 0).mc[0] = 1; // naive decrement: 2 -> 1
    });
  });

  it('§2.2 era D (~6.5-6.14): a large folio is never reused, even when this mm maps all of it alone', () => {
    const before = kernelAfter(config(), [fault(0, 0), fork(0), zap(1, 0, 4)]);
    expectStep(before, wp(0, 1), (d) => {
      d.nr_folios += 1;
      Object.assign(folioOf(d, 1), { used: true, nr_pages: 1, _refcount: 1 });
      Object.assign(pageOf(d, 1, 0), { _mapcount: 1, anon_exclusive: true });
      Object.assign(pteOf(d, 0, 1), { present: true, write: true, folio: 1, page: 0 });
      pageOf(d, 0, 1)._mapcount = 0;
      folioOf(d, 0)._refcount = 3;
    });
  });

  it('§2.2 era D: a large folio is copied even at refcount 1, and the old folio is then freed', () => {
    const before = kernelAfter(config(), [fault(0, 0), fork(0), zap(1, 0, 4), zap(0, 0, 1), zap(0, 2, 2)]);
    expectStep(before, wp(0, 1), (d) => {
      freeSlot(d, 0);
      d.nr_folios += 1;
      Object.assign(folioOf(d, 1), { used: true, nr_pages: 1, _refcount: 1 });
      Object.assign(pageOf(d, 1, 0), { _mapcount: 1, anon_exclusive: true });
      Object.assign(pteOf(d, 0, 1), { present: true, write: true, folio: 1, page: 0 });
    });
  });

  it('§2.2 era B (5.9-5.18): the refcount rule reuses a page of a large folio too, at refcount 1', () => {
    const before = kernelAfter(config({ era: '5.9' }), [
      fault(0, 0),
      fork(0),
      zap(1, 0, 4),
      zap(0, 0, 1),
      zap(0, 2, 2),
    ]);
    expectStep(before, wp(0, 1), (d) => {
      pteOf(d, 0, 1).write = true; // wp_page_reuse(); no PG_anon_exclusive before 5.19
    });
  });

  it('§2.2 era E (6.15, 1da190f4d0a6): a large folio that one mm maps, every reference a mapping, is reused', () => {
    const before = kernelAfter(config({ era: '6.15' }), [fault(0, 0), fork(0), zap(1, 0, 4)]);
    expectStep(before, wp(0, 1), (d) => {
      pageOf(d, 0, 1).anon_exclusive = true;
      pteOf(d, 0, 1).write = true;
    });
  });

  it('§2.0: is not enabled on a none or a writable PTE (EINVAL)', () => {
    expectRefused(kernelAfter(config(), []), wp(0, 0), 'EINVAL');
    expectRefused(kernelAfter(config(), [fault(0, 0)]), wp(0, 0), 'EINVAL');
    expectRefused(kernelAfter(config(), []), wp(1, 0), 'EINVAL');
  });

  it('bench-core wp: not enabled when it must copy and no slot is free (ENOMEM)', () => {
    expectRefused(kernelAfter(small({ slots: 1 }), [fault(0, 0), fork(0)]), wp(0, 0), 'ENOMEM');
  });
});

describe('do_wp_page, unshare fault (docs/kernel-rules.md §2.4)', () => {
  it('§2.4: an AE page needs nothing', () => {
    const before = kernelAfter(small(), [...unsharedSmall, pin(0, 0)]);
    expectStep(before, unshare(0, 0), () => {});
  });

  it('§2.4: a reusable page is made AE and the PTE stays read-only', () => {
    const before = kernelAfter(small(), unsharedSmall);
    expectStep(before, unshare(0, 0), (d) => {
      pageOf(d, 0, 0).anon_exclusive = true;
    });
  });

  it('§2.4: otherwise wp_page_copy() installs an exclusive, read-only copy', () => {
    const before = kernelAfter(config(), [fault(0, 0), fork(0)]);
    expectStep(before, unshare(1, 3), (d) => {
      d.nr_folios += 1;
      Object.assign(folioOf(d, 1), { used: true, nr_pages: 1, _refcount: 1 });
      Object.assign(pageOf(d, 1, 0), { _mapcount: 1, anon_exclusive: true });
      Object.assign(pteOf(d, 1, 3), { present: true, write: false, folio: 1, page: 0 });
      pageOf(d, 0, 3)._mapcount = 1;
      folioOf(d, 0)._refcount = 7;
    });
  });

  it('§2.0: not entered on a none PTE, nor on a writable one (writable anon implies AE) (EINVAL)', () => {
    expectRefused(kernelAfter(config(), [fault(0, 0), zap(0, 0, 1)]), unshare(0, 0), 'EINVAL');
    expectRefused(kernelAfter(config(), [fault(0, 0)]), unshare(0, 1), 'EINVAL');
  });
});
