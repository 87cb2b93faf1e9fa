/**
 * get_user_pages(FOLL_GET) and put_page(): vmsplice()'s plain reference (a raised `_refcount`, no pin, no
 * unshare), and what COW and splitting make of it.
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  expectRefused,
  expectStep,
  folioOf,
  fork,
  get,
  kernelAfter,
  pin,
  pinOf,
  pteOf,
  put,
  splitFolio,
  unpin,
  write,
  zap,
} from '../../../../test/helpers.js';
import type { Era } from '../../eras.js';
import dataIsolation from '../../invariants/dataIsolation.js';
import pinSeesOwnersPage from '../../invariants/pinSeesOwnersPage.js';
import refcountIsMappingsPlusPins from '../../invariants/refcountIsMappingsPlusPins.js';
import { toPlain } from '../../state/plain.js';

const ops = ['fault', 'zap', 'fork', 'write', 'pin', 'unpin', 'get', 'put', 'split_folio'] as const;
const failing = (k: ReturnType<typeof kernelAfter>): string[] =>
  [dataIsolation, pinSeesOwnersPage, refcountIsMappingsPlusPins]
    .filter((inv) => !inv.holds(k, undefined as never))
    .map((inv) => inv.name);
const cfg = (era: Era = '5.19', large = 1) =>
  config({ mms: 2, va: 4, pt: 4, large, slots: 6, pins: 2, ops, data: true, era });

describe('get_user_pages(FOLL_GET) and put_page()', () => {
  it('a reference to a shared page: _refcount + 1, no _pincount, no unshare (the PTE keeps the shared page)', () => {
    const before = kernelAfter(cfg(), [write(0, 0), fork(0)]);
    expectStep(before, get(1, 0), (d) => {
      folioOf(d, 0)._refcount = 3;
      Object.assign(pinOf(d, 0), { live: true, mm: 1, addr: 0, folio: 0, page: 0, attached: true, get: true });
      pinOf(d, 0).expect = pteOf(d, 1, 0).present ? 1 : 0;
    });
  });

  it('put drops the reference; unpin refuses a reference and put refuses a pin', () => {
    const before = kernelAfter(cfg(), [write(0, 0), write(0, 1), get(0, 0), pin(0, 1)]);
    expectRefused(before, unpin(0), 'EINVAL');
    expectRefused(before, put(1), 'EINVAL');
    expectStep(before, put(0), (d) => {
      folioOf(d, 0)._refcount -= 1;
      Object.assign(pinOf(d, 0), toPlain(before).pin[1]);
      Object.assign(pinOf(d, 1), { live: false, mm: 0, addr: 0, folio: 0, page: 0, attached: false, expect: 0 });
    });
  });

  it('the page the pipe holds is copied, not reused, by a later write (5.9+): the pipe keeps its content', () => {
    for (const era of ['5.9', '5.19', '6.15'] as const) {
      const k = kernelAfter(cfg(era), [write(0, 0), fork(0), get(1, 0), zap(1, 0, 1), write(0, 0)]);
      expect(pteOf(k, 0, 0).folio, era).not.toBe(pinOf(k, 0).folio);
      expect(failing(k), era).toEqual([]);
    }
  });

  it('5.7 reuses by mapcount and the pipe sees the parent’s write (CVE-2020-29374): dataIsolation fails', () => {
    const k = kernelAfter(cfg('5.7'), [write(0, 0), fork(0), get(1, 0), zap(1, 0, 1), write(0, 0)]);
    expect(pteOf(k, 0, 0).folio).toBe(pinOf(k, 0).folio);
    expect(failing(k)).toEqual(['dataIsolation']);
  });

  it('can_split_folio(): a large folio with a reference is not split', () => {
    const before = kernelAfter(cfg('6.15', 4), [write(0, 0), get(0, 1)]);
    expectRefused(before, splitFolio(0, 0), 'EAGAIN');
  });
});
