/**
 * exit_mmap(): a process exits and its whole address space is unmapped (docs/kernel-rules.md §2.6; step `exit`).
 */
import { describe, it } from 'vitest';
import {
  clearPte,
  config,
  exit,
  expectRefused,
  expectStep,
  folioOf,
  fork,
  forkChild,
  freeSlotZeroed,
  kernelAfter,
  mapPte,
  mmOf,
  newSmallFolio,
  pageOf,
  pin,
  pinOf,
  pteOf,
  read,
  setVm,
  write,
  zap,
} from '../../../../test/helpers.js';
import type { Bounds } from '../../config.js';
import type { Kernel } from '../../include/mm_types.js';
import { CORE_OPS } from '../../steps/index.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: [...CORE_OPS, 'write', 'read', 'exit'], ...over });
const small = (over: Partial<Bounds> = {}) => cfg({ large: 1, ...over });

/** Expected-state edit: mm `m` no longer exists: no VMA, no PTE (the caller says what happens to folios). */
function gone(d: Kernel, m: number): void {
  const mm = mmOf(d, m);
  mm.live = false;
  for (let a = 0; a < mm.vm.length; a++) {
    setVm(d, m, a, { mapped: false, write: false, dontcopy: false, pgoff: 0 });
    clearPte(d, m, a);
    pteOf(d, m, a).zero = false;
  }
}

describe('exit_mmap (docs/kernel-rules.md §2.6)', () => {
  it('§2.6: the exiting child’s mappings are removed; the parent’s pages stay non-AE and read-only', () => {
    // The child maps pages 0-2 of the shared folio and the zero page at 3.
    const before = kernelAfter(cfg(), [write(0, 0), fork(0), zap(1, 3, 1), read(1, 3)]);
    expectStep(before, exit(1), (d) => {
      gone(d, 1);
      for (let j = 0; j < 4; j++) pageOf(d, 0, j)._mapcount = 1;
      folioOf(d, 0)._refcount = 4;
    });
  });

  it('§2.6 + §2.2 era D: after the child exits, a small folio of the parent is reused: AE again, PTE RW', () => {
    const before = kernelAfter(small(), [write(0, 0), fork(0), exit(1)]);
    expectStep(before, write(0, 0), (d) => {
      pageOf(d, 0, 0).anon_exclusive = true;
      pteOf(d, 0, 0).write = true;
    });
  });

  it('§2.6 + §2.2 era D (5.19-6.14): after the child exits, a large folio is still copied page by page', () => {
    const before = kernelAfter(cfg(), [write(0, 0), fork(0), exit(1)]);
    expectStep(before, write(0, 1), (d) => {
      newSmallFolio(d, 1);
      mapPte(d, 0, 1, 1, 0, true);
      pageOf(d, 0, 1)._mapcount = 0;
      folioOf(d, 0)._refcount = 3;
    });
  });

  it('§2.6: the last mapping gone, the folio is freed (contents too); the zero page is simply unmapped', () => {
    const before = kernelAfter(small({ data: true }), [write(0, 0), read(0, 1)]);
    expectStep(before, exit(0), (d) => {
      gone(d, 0);
      freeSlotZeroed(d, 0);
      mmOf(d, 0).expect[0] = 0;
    });
  });

  it('I15: the exiting mm’s record of what it wrote is cleared with it', () => {
    const before = kernelAfter(cfg({ data: true }), [write(0, 0), fork(0)]);
    expectStep(before, exit(1), (d) => {
      gone(d, 1);
      mmOf(d, 1).expect[0] = 0;
      for (let j = 0; j < 4; j++) pageOf(d, 0, j)._mapcount = 1;
      folioOf(d, 0)._refcount = 4;
    });
  });

  it('§2.11: a pin outlives the exit: the folio lives on its reference, the pin is detached', () => {
    const before = kernelAfter(cfg(), [write(0, 0), pin(0, 1)]);
    expectStep(before, exit(0), (d) => {
      gone(d, 0);
      for (let j = 0; j < 4; j++) pageOf(d, 0, j)._mapcount = 0; // AE bits stay, stale (§2.6 step 4)
      folioOf(d, 0)._refcount = 1;
      pinOf(d, 0).attached = false;
    });
  });

  it('the next fork reuses the exited mm’s index for a fresh child', () => {
    const before = kernelAfter(small(), [write(0, 0), fork(0), exit(1)]);
    expectStep(before, fork(0), (d) => {
      forkChild(d, 0, 1);
      mapPte(d, 1, 0, 0, 0, false);
      pageOf(d, 0, 0)._mapcount = 2;
      folioOf(d, 0)._refcount = 2;
    });
  });

  it('an mm that does not exist cannot exit, nor touch memory (EFAULT)', () => {
    expectRefused(kernelAfter(cfg(), []), exit(1), 'EFAULT');
    const exited = kernelAfter(cfg(), [write(0, 0), fork(0), exit(1)]);
    expectRefused(exited, exit(1), 'EFAULT');
    expectRefused(exited, read(1, 0), 'EFAULT');
    expectRefused(exited, write(1, 0), 'EFAULT');
  });
});
