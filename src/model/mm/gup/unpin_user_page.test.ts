/**
 * unpin_user_page(): drop a FOLL_PIN pin (docs/kernel-rules.md §2.11 "Unpin"; bench-core action 6).
 */
import { describe, it } from 'vitest';
import {
  config,
  expectRefused,
  expectStep,
  fault,
  folioOf,
  freeSlot,
  kernelAfter,
  pin,
  pinOf,
  unpin,
  zap,
} from '../../../../test/helpers.js';

const emptyPin = { live: false, mm: 0, addr: 0, folio: 0, page: 0, attached: false };

describe('unpin_user_page (docs/kernel-rules.md §2.11)', () => {
  it('§2.11: reverse arithmetic of the pin: _pincount -1, _refcount -1, AE unchanged, the entry emptied', () => {
    const before = kernelAfter(config(), [fault(0, 0), pin(0, 1)]);
    expectStep(before, unpin(0), (d) => {
      folioOf(d, 0)._pincount = 0;
      folioOf(d, 0)._refcount = 4;
      Object.assign(pinOf(d, 0), emptyPin);
    });
  });

  it('the pins after it move up, so the table stays sorted with empty entries last', () => {
    const before = kernelAfter(config({ pins: 3 }), [fault(0, 0), pin(0, 1), pin(0, 2), pin(0, 3)]);
    expectStep(before, unpin(0), (d) => {
      folioOf(d, 0)._pincount = 2;
      folioOf(d, 0)._refcount = 6;
      Object.assign(pinOf(d, 0), { live: true, mm: 0, addr: 2, folio: 0, page: 2, attached: true });
      Object.assign(pinOf(d, 1), { live: true, mm: 0, addr: 3, folio: 0, page: 3, attached: true });
      Object.assign(pinOf(d, 2), emptyPin);
    });
  });

  it('§2.11 + bench-core put(): the last reference of a zapped, pinned folio is the pin; unpin frees the folio', () => {
    const before = kernelAfter(config(), [fault(0, 0), pin(0, 1), zap(0, 0, 4)]);
    expectStep(before, unpin(0), (d) => {
      Object.assign(pinOf(d, 0), emptyPin);
      freeSlot(d, 0); // with the stale AE bits of its pages
    });
  });

  it('is not enabled on an empty entry (EINVAL)', () => {
    expectRefused(kernelAfter(config(), [fault(0, 0)]), unpin(0), 'EINVAL');
    expectRefused(kernelAfter(config({ pins: 2 }), [fault(0, 0), pin(0, 0)]), unpin(1), 'EINVAL');
  });
});
