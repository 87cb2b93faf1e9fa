/**
 * get_user_pages(FOLL_GET)'s refusals and faults (get_user_pages.ts): a full pin table, an mm that does not
 * exist, nothing mapped, one live reference per (mm, address), 5.8's COW break that needs a folio slot,
 * and the swap-in of a swap entry before the reference is taken (faultin_page()).
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  expectRefused,
  fork,
  get,
  kernelAfter,
  pageout,
  pinOf,
  pteOf,
  write,
  zap,
} from '../../../../test/helpers.js';
import { applyAction } from '../../actions.js';
import type { Bounds } from '../../config.js';

const ops = ['fault', 'zap', 'fork', 'write', 'get', 'put', 'pageout'] as const;
const cfg = (over: Partial<Bounds> = {}) =>
  config({ mms: 2, va: 4, pt: 4, large: 1, slots: 4, pins: 2, swap: 2, ops: [...ops], ...over });

describe('get_user_pages(FOLL_GET): refusals', () => {
  it('every entry of the pin table in use: ENOMEM', () => {
    const before = kernelAfter(cfg(), [write(0, 0), write(0, 1), get(0, 0), get(0, 1)]);
    expectRefused(before, get(0, 2), 'ENOMEM');
  });

  it('an mm that does not exist (never forked): EFAULT', () => {
    expectRefused(kernelAfter(cfg(), [write(0, 0)]), get(1, 0), 'EFAULT');
  });

  it('nothing mapped at the address (no folio, no zero page): EFAULT', () => {
    expectRefused(kernelAfter(cfg(), [write(0, 0)]), get(0, 1), 'EFAULT');
  });

  it('one live reference per (mm, address): EEXIST; another address, or the same address in another mm, is fine', () => {
    const k = kernelAfter(cfg({ pins: 3 }), [write(0, 0), write(0, 1), fork(0), get(0, 0)]);
    expectRefused(k, get(0, 0), 'EEXIST');
    expect(applyAction(k, get(0, 1))).toBe(0);
    expect(applyAction(k, get(1, 0))).toBe(0);
    expect([0, 1, 2].map((i) => [pinOf(k, i).mm, pinOf(k, i).addr])).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
    ]);
  });

  it('a reference whose mapping was zapped is detached: the address, faulted in again, takes a new one', () => {
    const k = kernelAfter(cfg(), [write(0, 0), get(0, 0), zap(0, 0, 1), write(0, 0)]);
    expect(pinOf(k, 0)).toMatchObject({ live: true, attached: false });
    expect(applyAction(k, get(0, 0))).toBe(0);
  });

  it('5.8: the GUP-time COW break of a shared page needs a folio slot: ENOMEM without one', () => {
    const before = kernelAfter(cfg({ era: '5.8', slots: 1 }), [write(0, 0), fork(0)]);
    expectRefused(before, get(1, 0), 'ENOMEM');
  });
});

describe('get_user_pages(FOLL_GET) of a swap entry', () => {
  it('faultin_page(): the page is swapped in first, then referenced', () => {
    const k = kernelAfter(cfg(), [write(0, 0), pageout(0, 0, 1)]);
    expect(pteOf(k, 0, 0).swp).toBe(true);
    expect(applyAction(k, get(0, 0))).toBe(0);
    expect(pteOf(k, 0, 0)).toMatchObject({ present: true, swp: false });
    expect(pinOf(k, 0)).toMatchObject({ live: true, get: true, folio: pteOf(k, 0, 0).folio });
  });

  it('the swap-in needs a folio slot: ENOMEM without one', () => {
    const before = kernelAfter(cfg({ slots: 1 }), [write(0, 0), pageout(0, 0, 1), write(0, 1)]);
    expect(pteOf(before, 0, 0).swp).toBe(true);
    expectRefused(before, get(0, 0), 'ENOMEM');
  });
});
