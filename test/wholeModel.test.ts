/**
 * The 5.19-6.14 rules keep every invariant, exhaustively, in small configurations of the whole model:
 * what the kernel claims of itself (docs/kernel-rules.md §5), checked over every reachable state rather than along
 * chosen scripts. No state counts are asserted: no independent source gives them.
 */
import { describe, expect, it } from 'vitest';
import { explore } from '../src/checker/explore.js';
import type { Bounds } from '../src/model/config.js';
import { makeConfig } from '../src/model/configure.js';
import type { OpName } from '../src/model/steps/index.js';
import { KernelSystem } from '../src/spec.js';

const small = (ops: OpName[], over: Partial<Bounds>): Bounds => ({
  mms: 2,
  va: 2,
  pt: 2,
  large: 2,
  slots: 2,
  pins: 1,
  ops,
  tuple: false,
  ...over,
});

const CASES: Record<string, Bounds> = {
  'swap-out and swap-in, fork, COW and pins, contents tracked': small(
    ['fault', 'zap', 'fork', 'wp', 'pin', 'unpin', 'reclaim', 'write', 'exit'],
    { swap: 1, data: true },
  ),
  'PMD-mapped THPs: split, COW, pins (R/O and R/W), swap, contents tracked': small(
    ['thp', 'split_pmd', 'split_folio', 'zap', 'fork', 'write', 'pin', 'pin_rw', 'unpin', 'exit', 'reclaim'],
    { swap: 1, data: true },
  ),
  'large folios split across VMAs by MADV_DONTFORK and partial mremap, then fork': small(
    ['write', 'fork', 'dontfork', 'mremap', 'exit'],
    // One folio slot, as below: the anon_vma's identity (gap 10) multiplies the states (280,752 now).
    { va: 4, map: 2, slots: 1, pins: 0 },
  ),
  'munmap, mprotect, MADV_DONTFORK/DOFORK and mremap of small pages across fork and exit': small(
    ['write', 'fork', 'munmap', 'mprotect', 'dontfork', 'dofork', 'mremap', 'exit'],
    // One folio slot: the anon_vma's identity (gap 10) multiplies these states beyond the test's time with two.
    { va: 3, map: 2, pt: 1, large: 1, slots: 1, pins: 0 },
  ),
};

describe('the whole model, exhaustively (5.19-6.14 rules)', () => {
  for (const [name, bounds] of Object.entries(CASES)) {
    it(`holds every invariant: ${name}`, async () => {
      const v = await explore(new KernelSystem(makeConfig(bounds), name));
      expect(v.kind === 'invariant-violated' ? v.invariant : v.kind).toBe('success');
      expect(v.stats.states).toBeGreaterThan(10_000);
      // vma->anon_vma (a VMA field since the kernel-conformance gaps 5 and 7, an identity with fork children
      // and VM_ACCOUNT since gap 10) multiplies the VMA cases' states: the munmap/mremap one has 830,196 with
      // one folio slot (61 s on 2 busy cores, 184 s on busier ones); with two it had 1,856,884 before gap 10
      // and is now past 2.5 million at depth 12 of 22.
    }, 480_000);
  }
});
