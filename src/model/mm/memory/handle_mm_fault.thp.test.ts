/**
 * handle_mm_fault() at the PMD level and on swap entries (docs/kernel-rules.md §2.0): a huge PMD is handled as one
 * entry (reads and stores through a writable PMD need no fault; a store to a read-only one goes to
 * do_huge_pmd_wp_page()); a swap entry goes to do_swap_page() for loads and stores alike.
 */
import { describe, it } from 'vitest';
import {
  config,
  expectRefused,
  expectStep,
  fork,
  kernelAfter,
  mmOf,
  mprotect,
  pageOf,
  read,
  THP_SWAP_OPS,
  thp,
  write,
} from '../../../../test/helpers.js';
import type { Bounds } from '../../config.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: THP_SWAP_OPS, swap: 2, ...over });

describe('handle_mm_fault, huge PMD (docs/kernel-rules.md §2.0)', () => {
  it('§2.0: a load through a huge PMD needs no fault (NOP), read-only or writable', () => {
    expectRefused(kernelAfter(cfg(), [thp(0, 0)]), read(0, 1), 'NOP');
    expectRefused(kernelAfter(cfg(), [thp(0, 0), fork(0)]), read(1, 3), 'NOP');
    expectRefused(kernelAfter(cfg({ data: true }), [thp(0, 0), fork(0)]), read(0, 2), 'NOP');
  });

  it('§2.0: a store through a writable huge PMD needs no fault (NOP when contents are not tracked)', () => {
    expectRefused(kernelAfter(cfg(), [thp(0, 0)]), write(0, 3), 'NOP');
  });

  it('§5 I15: with contents tracked that store is a step: the page at the address takes a fresh value, nothing else', () => {
    expectStep(kernelAfter(cfg({ data: true }), [thp(0, 0)]), write(0, 3), (d) => {
      pageOf(d, 0, 3).data = 2;
      mmOf(d, 0).expect[3] = 2;
      d.values = 2;
    });
  });

  it('§2.0: a store to a read-only huge PMD in a VMA without VM_WRITE is a SIGSEGV (EFAULT)', () => {
    const ro = config({ ops: [...THP_SWAP_OPS, 'mprotect'] });
    expectRefused(kernelAfter(ro, [thp(0, 0), mprotect(0, 0, 4, 'ro')]), write(0, 1), 'EFAULT');
    expectRefused(kernelAfter(ro, [thp(0, 0), mprotect(0, 0, 4, 'ro')]), read(0, 1), 'NOP');
  });
});
