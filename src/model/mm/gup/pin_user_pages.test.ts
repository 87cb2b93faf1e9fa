/**
 * pin_user_pages(): a read-only FOLL_PIN | FOLL_LONGTERM pin (docs/kernel-rules.md §2.11, §2.4; bench-core action 5).
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  expectRefused,
  expectStep,
  fault,
  folioOf,
  fork,
  kernelAfter,
  pageOf,
  pin,
  pinOf,
  pteOf,
  zap,
} from '../../../../test/helpers.js';

const small = (over = {}) => config({ large: 1, ...over });

describe('pin_user_pages (docs/kernel-rules.md §2.11)', () => {
  it('§2.11: an AE page is pinned as it is: _pincount +1, _refcount +1, the pin names the owner and the page', () => {
    const before = kernelAfter(config(), [fault(0, 0)]);
    expectStep(before, pin(0, 1), (d) => {
      folioOf(d, 0)._pincount = 1;
      folioOf(d, 0)._refcount = 5;
      Object.assign(pinOf(d, 0), { live: true, mm: 0, addr: 1, folio: 0, page: 1, attached: true });
    });
  });

  it('§2.11 gup_must_unshare() + §2.4: a reusable non-AE page is made AE first, its PTE staying read-only', () => {
    const before = kernelAfter(small(), [fault(0, 0), fork(0), zap(1, 0, 1)]);
    expectStep(before, pin(0, 0), (d) => {
      pageOf(d, 0, 0).anon_exclusive = true;
      folioOf(d, 0)._pincount = 1;
      folioOf(d, 0)._refcount = 2;
      Object.assign(pinOf(d, 0), { live: true, mm: 0, addr: 0, folio: 0, page: 0, attached: true });
    });
  });

  for (const era of ['5.19', '6.15'] as const) {
    it(`§2.11 (${era}): a R/O pin unshares, it does not break COW (5.8 only): the PTE stays read-only`, () => {
      const after = kernelAfter(small({ era }), [fault(0, 0), fork(0), zap(1, 0, 1), pin(0, 0)]);
      expect(pteOf(after, 0, 0)).toMatchObject({ present: true, write: false, folio: 0, page: 0 });
      expect(pageOf(after, 0, 0).anon_exclusive).toBe(true);
    });
  }

  it('§2.11 + §2.4: a shared page is unshared by a read-only copy, and the copy is what gets pinned', () => {
    const before = kernelAfter(small(), [fault(0, 0), fork(0)]);
    expectStep(before, pin(1, 0), (d) => {
      d.nr_folios += 1;
      Object.assign(folioOf(d, 1), { used: true, nr_pages: 1, _refcount: 2, _pincount: 1 });
      Object.assign(pageOf(d, 1, 0), { _mapcount: 1, anon_exclusive: true });
      Object.assign(pteOf(d, 1, 0), { present: true, write: false, folio: 1, page: 0 });
      pageOf(d, 0, 0)._mapcount = 1;
      folioOf(d, 0)._refcount = 1;
      Object.assign(pinOf(d, 0), { live: true, mm: 1, addr: 0, folio: 1, page: 0, attached: true });
    });
  });

  it('§2.2 era D + §2.4: a non-AE page of a large folio is copied even when this mm alone maps the folio', () => {
    const before = kernelAfter(config(), [fault(0, 0), fork(0), zap(1, 0, 4)]);
    expectStep(before, pin(0, 2), (d) => {
      d.nr_folios += 1;
      Object.assign(folioOf(d, 1), { used: true, nr_pages: 1, _refcount: 2, _pincount: 1 });
      Object.assign(pageOf(d, 1, 0), { _mapcount: 1, anon_exclusive: true });
      Object.assign(pteOf(d, 0, 2), { present: true, write: false, folio: 1, page: 0 });
      pageOf(d, 0, 2)._mapcount = 0;
      folioOf(d, 0)._refcount = 3;
      Object.assign(pinOf(d, 0), { live: true, mm: 0, addr: 2, folio: 1, page: 0, attached: true });
    });
  });

  it('keeps the pin table sorted by (mm, addr), empty entries last', () => {
    const before = kernelAfter(config({ pins: 3 }), [fault(0, 0), pin(0, 2)]);
    expectStep(before, pin(0, 1), (d) => {
      folioOf(d, 0)._pincount = 2;
      folioOf(d, 0)._refcount = 6;
      Object.assign(pinOf(d, 1), { live: true, mm: 0, addr: 2, folio: 0, page: 2, attached: true });
      Object.assign(pinOf(d, 0), { live: true, mm: 0, addr: 1, folio: 0, page: 1, attached: true });
    });
    // mm 1 sorts after mm 0 whatever the address; the child's pin unshares its shared page into slot 1.
    const forked = kernelAfter(config({ pins: 3 }), [fault(0, 0), fork(0), pin(1, 0)]);
    expectStep(forked, pin(0, 3), (d) => {
      d.nr_folios += 1;
      Object.assign(folioOf(d, 2), { used: true, nr_pages: 1, _refcount: 2, _pincount: 1 });
      Object.assign(pageOf(d, 2, 0), { _mapcount: 1, anon_exclusive: true });
      Object.assign(pteOf(d, 0, 3), { present: true, write: false, folio: 2, page: 0 });
      pageOf(d, 0, 3)._mapcount = 1;
      folioOf(d, 0)._refcount -= 1;
      Object.assign(pinOf(d, 1), { live: true, mm: 1, addr: 0, folio: 1, page: 0, attached: true });
      Object.assign(pinOf(d, 0), { live: true, mm: 0, addr: 3, folio: 2, page: 0, attached: true });
    });
  });

  it('one live pin per mapped address (EEXIST); a pin whose address was unmapped since does not count', () => {
    expectRefused(kernelAfter(config({ pins: 2 }), [fault(0, 0), pin(0, 0)]), pin(0, 0), 'EEXIST');
    // The pin of address 0 was detached by the zap; the new folio mapped there can be pinned (with one pin,
    // bench-core's bound, the pin table is full anyway, so bench-core's "attached or not" reads the same).
    const refaulted = kernelAfter(config({ pins: 2 }), [fault(0, 0), pin(0, 0), zap(0, 0, 4), fault(0, 0)]);
    const { after } = expectStep(refaulted, pin(0, 0), (d) => {
      pinOf(d, 1).live = true;
      Object.assign(pinOf(d, 1), { mm: 0, addr: 0, folio: 1, page: 0, attached: true });
      folioOf(d, 1)._pincount = 1;
      folioOf(d, 1)._refcount = 5;
    });
    expect(after.pin[0]?.attached).toBe(false);
  });

  it('bench-core pin: at most PINS live pins (ENOMEM), and none at all with PINS = 0', () => {
    expectRefused(kernelAfter(config({ pins: 1 }), [fault(0, 0), pin(0, 0)]), pin(0, 1), 'ENOMEM');
    expectRefused(kernelAfter(config({ pins: 0 }), [fault(0, 0)]), pin(0, 1), 'ENOMEM');
  });

  it('§2.11: only a present page is pinned (EFAULT)', () => {
    expectRefused(kernelAfter(config(), []), pin(0, 0), 'EFAULT');
    expectRefused(kernelAfter(config(), [fault(0, 0)]), pin(1, 0), 'EFAULT');
  });

  it('bench-core pin: not enabled when the unshare must copy and no slot is free (ENOMEM)', () => {
    expectRefused(kernelAfter(small({ slots: 1 }), [fault(0, 0), fork(0)]), pin(0, 0), 'ENOMEM');
  });
});
