/**
 * dup_mmap(): fork creates the child mm and copies the page tables (docs/kernel-rules.md §2.7; bench-core action 3).
 */
import { describe, it } from 'vitest';
import {
  config,
  expectRefused,
  expectStep,
  fault,
  folioOf,
  fork,
  forkChild,
  kernelAfter,
  pageOf,
  pteOf,
} from '../../../../test/helpers.js';

describe('dup_mmap (docs/kernel-rules.md §2.7)', () => {
  it('forking an mm that maps nothing creates the child and changes nothing else', () => {
    expectStep(kernelAfter(config(), []), fork(0), (d) => {
      forkChild(d, 0, 1);
    });
  });

  it('the child takes the lowest mm that does not exist; a child can fork in turn (mms 3)', () => {
    const before = kernelAfter(config({ mms: 3, large: 1 }), [fault(0, 0), fork(0)]);
    expectStep(before, fork(1), (d) => {
      forkChild(d, 1, 2);
      Object.assign(pteOf(d, 2, 0), { present: true, write: false, folio: 0, page: 0 });
      pageOf(d, 0, 0)._mapcount = 3;
      folioOf(d, 0)._refcount = 3;
    });
  });

  it('is not enabled from an mm that does not exist (EFAULT)', () => {
    expectRefused(kernelAfter(config(), []), fork(1), 'EFAULT');
  });

  it('bench-core fork: is not enabled once every mm exists (EAGAIN)', () => {
    expectRefused(kernelAfter(config(), [fork(0)]), fork(0), 'EAGAIN');
    expectRefused(kernelAfter(config(), [fork(0)]), fork(1), 'EAGAIN');
  });
});
