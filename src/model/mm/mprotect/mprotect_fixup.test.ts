/**
 * mprotect_fixup(): mprotect() PROT_READ / PROT_READ|PROT_WRITE of a range (docs/kernel-rules.md §2.15; step
 * `mprotect(m,a,n,ro|rw)`).
 */
import { describe, it } from 'vitest';
import {
  config,
  dontfork,
  expectRefused,
  expectStep,
  folioOf,
  fork,
  kernelAfter,
  mapPte,
  mprotect,
  newSmallFolio,
  pageOf,
  pteOf,
  read,
  setVm,
  write,
} from '../../../../test/helpers.js';
import type { Bounds } from '../../config.js';
import type { Kernel } from '../../include/mm_types.js';
import { CORE_OPS } from '../../steps/index.js';

const cfg = (over: Partial<Bounds> = {}) =>
  config({ ops: [...CORE_OPS, 'write', 'read', 'mprotect', 'dontfork'], ...over });

/** Expected-state edit: VM_WRITE of [a, a+nr) of mm m. */
function vmWrite(d: Kernel, m: number, a: number, nr: number, write: boolean): void {
  for (let i = a; i < a + nr; i++) setVm(d, m, i, { write });
}

describe('mprotect_fixup (docs/kernel-rules.md §2.15)', () => {
  it('§2.15: PROT_READ clears VM_WRITE and write-protects every present PTE; AE bits stay', () => {
    expectStep(kernelAfter(cfg(), [write(0, 0)]), mprotect(0, 0, 4, 'ro'), (d) => {
      vmWrite(d, 0, 0, 4, false);
      for (let a = 0; a < 4; a++) pteOf(d, 0, a).write = false;
    });
  });

  it('§2.15 can_change_pte_writable(): PROT_WRITE makes the PTE of an AE page writable at once', () => {
    expectStep(kernelAfter(cfg(), [write(0, 0), mprotect(0, 0, 4, 'ro')]), mprotect(0, 0, 4, 'rw'), (d) => {
      vmWrite(d, 0, 0, 4, true);
      for (let a = 0; a < 4; a++) pteOf(d, 0, a).write = true;
    });
  });

  it('§2.15: ro then rw makes only the AE pages writable; the pages shared with the child stay read-only', () => {
    // MADV_DONTFORK kept pages 2-3 out of the child: they are AE, pages 0-1 are shared.
    const before = kernelAfter(cfg(), [write(0, 0), dontfork(0, 2, 2), fork(0), mprotect(0, 0, 4, 'ro')]);
    expectStep(before, mprotect(0, 0, 4, 'rw'), (d) => {
      vmWrite(d, 0, 0, 4, true);
      pteOf(d, 0, 2).write = true;
      pteOf(d, 0, 3).write = true;
    });
  });

  it('§2.15 + §2.2: a shared page left read-only by PROT_WRITE is copied at the next store', () => {
    const before = kernelAfter(cfg(), [
      write(0, 0),
      dontfork(0, 2, 2),
      fork(0),
      mprotect(0, 0, 4, 'ro'),
      mprotect(0, 0, 4, 'rw'),
    ]);
    expectStep(before, write(0, 1), (d) => {
      newSmallFolio(d, 1);
      mapPte(d, 0, 1, 1, 0, true);
      pageOf(d, 0, 1)._mapcount = 1;
      folioOf(d, 0)._refcount = 5;
    });
  });

  it('§2.15: can_change_pte_writable() reads AE only: a page exclusive by refcount alone stays read-only', () => {
    // The child copied its page away: the parent's page has refcount 1 but is not AE.
    const before = kernelAfter(cfg({ large: 1 }), [write(0, 0), fork(0), write(1, 0), mprotect(0, 0, 1, 'ro')]);
    const { after } = expectStep(before, mprotect(0, 0, 1, 'rw'), (d) => {
      vmWrite(d, 0, 0, 1, true);
    });
    // The next store reuses it through the fault (§2.2 wp_can_reuse_anon_folio()).
    expectStep(after, write(0, 0), (d) => {
      pageOf(d, 0, 0).anon_exclusive = true;
      pteOf(d, 0, 0).write = true;
    });
  });

  it('§5 I13: PROT_WRITE never makes a zero-page PTE writable', () => {
    const before = kernelAfter(cfg(), [read(0, 1), mprotect(0, 0, 4, 'ro')]);
    expectStep(before, mprotect(0, 0, 4, 'rw'), (d) => {
      vmWrite(d, 0, 0, 4, true);
    });
  });

  it('§2.15: only the range changes, and only in this mm (the child’s PTEs and VMAs are its own)', () => {
    const before = kernelAfter(cfg({ large: 1 }), [write(0, 0), write(0, 1), fork(0)]);
    expectStep(before, mprotect(1, 1, 1, 'ro'), (d) => {
      setVm(d, 1, 1, { write: false });
    });
  });

  it('§1.2 + §2.1 step 2: a VMA split by mprotect makes a store next to it fall back to order 0', () => {
    expectStep(kernelAfter(cfg(), [mprotect(0, 1, 1, 'ro')]), write(0, 0), (d) => {
      newSmallFolio(d, 0);
      mapPte(d, 0, 0, 0, 0, true);
    });
  });

  it('mprotect() to the protection the range already has changes nothing (NOP); a range partly so changes', () => {
    expectRefused(kernelAfter(cfg(), [write(0, 0)]), mprotect(0, 0, 4, 'rw'), 'NOP');
    expectRefused(kernelAfter(cfg(), [mprotect(0, 0, 2, 'ro')]), mprotect(0, 0, 2, 'ro'), 'NOP');
    expectStep(kernelAfter(cfg(), [write(0, 0), mprotect(0, 0, 2, 'ro')]), mprotect(0, 0, 4, 'ro'), (d) => {
      vmWrite(d, 0, 2, 2, false);
      pteOf(d, 0, 2).write = false;
      pteOf(d, 0, 3).write = false;
    });
  });

  it('mprotect() over a hole is refused (the kernel: -ENOMEM; here EFAULT), as from an mm that does not exist', () => {
    expectRefused(kernelAfter(cfg({ map: 2 }), []), mprotect(0, 0, 4, 'ro'), 'EFAULT');
    expectRefused(kernelAfter(cfg({ map: 2 }), []), mprotect(0, 2, 1, 'rw'), 'EFAULT');
    expectRefused(kernelAfter(cfg(), []), mprotect(1, 0, 4, 'ro'), 'EFAULT');
  });
});
