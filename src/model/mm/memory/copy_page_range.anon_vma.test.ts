/**
 * vma_needs_copy(): fork copies the page tables of a VMA only if it has an anon_vma, which only the
 * allocation of an anonymous folio gives it (a read fault maps the zero page without one). Found on Linux
 * 6.18 by `foliocheck kernel` (docs/kernel-conformance.md, gap 5).
 */
import { describe, expect, it } from 'vitest';
import { config, fault, fork, kernelAfter, mmOf, pteOf, read, write, zap } from '../../../../test/helpers.js';

const cfg = config({
  mms: 2,
  va: 8,
  pt: 4,
  large: 1,
  slots: 4,
  pins: 0,
  map: 8,
  ops: ['fault', 'zap', 'fork', 'read', 'write'],
});

describe('fork and anon_vma (vma_needs_copy())', () => {
  it('a VMA whose only PTEs map the zero page has no anon_vma: the child gets none and faults afresh', () => {
    const k = kernelAfter(cfg, [read(0, 0), fork(0)]);
    expect(mmOf(k, 0).vm.every((vm) => !vm.anon_vma)).toBe(true);
    expect(pteOf(k, 0, 0).zero).toBe(true);
    expect(pteOf(k, 1, 0)).toMatchObject({ zero: false, present: false });
    const again = kernelAfter(cfg, [read(0, 0), fork(0), read(1, 0)]);
    expect(pteOf(again, 1, 0).zero).toBe(true);
  });

  it('an anonymous folio gives the whole VMA an anon_vma, kept after a zap; fork copies its zero-page PTEs', () => {
    const k = kernelAfter(cfg, [fault(0, 5), zap(0, 5, 1), read(0, 0), fork(0)]);
    expect(mmOf(k, 0).vm.every((vm) => vm.anon_vma)).toBe(true);
    expect(mmOf(k, 1).vm.every((vm) => vm.anon_vma)).toBe(true);
    expect(pteOf(k, 1, 0).zero).toBe(true);
  });

  it('a COW of the zero page is the VMA’s first anonymous folio too (wp_page_copy())', () => {
    const k = kernelAfter(cfg, [read(0, 0), write(0, 0)]);
    expect(mmOf(k, 0).vm.every((vm) => vm.anon_vma)).toBe(true);
  });
});
