/**
 * madvise_dontfork(): MADV_DONTFORK and MADV_DOFORK (docs/kernel-rules.md §2.17; steps `dontfork`, `dofork`), and
 * the cow selftest's "partially shared THP" built with them (§4 B10).
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  dofork,
  dontfork,
  exit,
  expectRefused,
  expectStep,
  folioOf,
  fork,
  kernelAfter,
  mapPte,
  newSmallFolio,
  pageOf,
  setVm,
  write,
} from '../../../../test/helpers.js';
import { KernelSystem } from '../../../spec.js';
import type { Bounds } from '../../config.js';
import { CORE_OPS } from '../../steps/index.js';

const cfg = (over: Partial<Bounds> = {}) =>
  config({ ops: [...CORE_OPS, 'write', 'read', 'exit', 'dontfork', 'dofork'], ...over });

describe('madvise MADV_DONTFORK / MADV_DOFORK (docs/kernel-rules.md §2.17)', () => {
  it('§2.17: MADV_DONTFORK sets VM_DONTCOPY on the range and changes no PTE, counter or AE bit', () => {
    expectStep(kernelAfter(cfg(), [write(0, 0)]), dontfork(0, 2, 2), (d) => {
      setVm(d, 0, 2, { dontcopy: true });
      setVm(d, 0, 3, { dontcopy: true });
    });
  });

  it('§2.17: MADV_DOFORK clears it again, on the range only', () => {
    expectStep(kernelAfter(cfg(), [write(0, 0), dontfork(0, 0, 4)]), dofork(0, 1, 1), (d) => {
      setVm(d, 0, 1, { dontcopy: false });
    });
  });

  it('madvise() that leaves every flag as it was changes nothing (NOP)', () => {
    expectRefused(kernelAfter(cfg(), []), dofork(0, 0, 4), 'NOP');
    expectRefused(kernelAfter(cfg(), [dontfork(0, 0, 2)]), dontfork(0, 0, 2), 'NOP');
    expectRefused(kernelAfter(cfg(), [dontfork(0, 0, 2)]), dontfork(0, 1, 1), 'NOP');
  });

  it('madvise() over a hole is refused (the kernel: -ENOMEM; here EFAULT), as from an mm that does not exist', () => {
    expectRefused(kernelAfter(cfg({ map: 2 }), []), dontfork(0, 0, 4), 'EFAULT');
    expectRefused(kernelAfter(cfg({ map: 2 }), []), dofork(0, 2, 2), 'EFAULT');
    expectRefused(kernelAfter(cfg(), []), dontfork(1, 0, 4), 'EFAULT');
  });
});

describe('partially shared THP (docs/kernel-rules.md §4 B10, cow.c)', () => {
  // A faults a large folio; MADV_DONTFORK on all pages but the first; fork (only page 0 shared); B exits;
  // MADV_DOFORK. Page 0 is no longer AE, pages 1-3 are; the folio is A's alone again.
  const setup = [write(0, 0), dontfork(0, 1, 1), dontfork(0, 2, 2), fork(0), exit(1)];

  it('§2.17 + §2.7: fork shares page 0 only; MADV_DOFORK afterwards changes flags and nothing else', () => {
    expectStep(kernelAfter(cfg(), setup), dofork(0, 0, 4), (d) => {
      for (let a = 1; a < 4; a++) setVm(d, 0, a, { dontcopy: false });
    });
  });

  it('B10 era D (5.19-6.14): a store to page 0 copies it although the folio is exclusive again', () => {
    const before = kernelAfter(cfg(), [...setup, dofork(0, 0, 4)]);
    expectStep(before, write(0, 0), (d) => {
      newSmallFolio(d, 1);
      mapPte(d, 0, 0, 1, 0, true);
      pageOf(d, 0, 0)._mapcount = 0;
      folioOf(d, 0)._refcount = 3;
    });
  });

  it('B10: the pages that never left the parent are still AE and writable: a store needs no fault', () => {
    const before = kernelAfter(cfg(), [...setup, dofork(0, 0, 4)]);
    for (const a of [1, 2, 3]) expectRefused(before, write(0, a), 'NOP');
  });

  it('I15: along the whole scenario, with contents tracked, every invariant holds', () => {
    const c = cfg({ data: true });
    const sys = new KernelSystem(c);
    const steps = [write(0, 0), write(0, 1), dontfork(0, 1, 1), dontfork(0, 2, 2), fork(0)];
    const more = [write(0, 1), write(1, 0), write(0, 0), exit(1), dofork(0, 0, 4), write(0, 0), write(0, 3)];
    for (let n = 0; n <= steps.length + more.length; n++) {
      const k = kernelAfter(c, [...steps, ...more].slice(0, n));
      expect(sys.checkKernel(k), `after ${n} steps`).toBe(-1);
    }
  });
});
