/**
 * MM-ID owner tracking (docs/kernel-rules.md §3.4), step by step on the examples the series gives; then an
 * owner adding mappings to its own slot (the PMD split adds the PTEs before it drops the PMD), and the
 * queries at their edges: a folio mapped once by an untracked mm, an unmapped one, a PMD-mapped one.
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  exit,
  fault,
  folioOf,
  fork,
  kernelAfter,
  pin,
  splitPmd,
  thp,
  threeMmsMmId,
  zap,
} from '../../../test/helpers.js';
import type { Kernel } from '../state/schema.js';
import { kernelMmId } from './index.js';
import mmIdScheme, { mm_id_maybe_mapped_shared } from './mm-id.js';

const cfg = threeMmsMmId();

/** [_large_mapcount, id0, count0, id1, count1, shared] of folio 0. */
const words = (k: Kernel): number[] => Array.from(folioOf(k, 0).mc);

describe('mm-id', () => {
  it('a new folio: slot 0 owns every mapping, the shared bit clear', () => {
    expect(words(kernelAfter(cfg, [fault(0, 0)]))).toEqual([2, 1, 2, 0, 0, 0]);
  });

  it('fork: the child takes slot 1 and the bit is set; the child exits: its slot frees, slot 0 = all, bit clear', () => {
    const forked = kernelAfter(cfg, [fault(0, 0), fork(0)]);
    expect(words(forked)).toEqual([4, 1, 2, 2, 2, 1]);
    expect(mm_id_maybe_mapped_shared(folioOf(forked, 0), kernelMmId(cfg).o)).toBe(true);
    const exited = kernelAfter(cfg, [fault(0, 0), fork(0), exit(1)]);
    expect(words(exited)).toEqual([2, 1, 2, 0, 0, 0]);
    expect(mm_id_maybe_mapped_shared(folioOf(exited, 0), kernelMmId(cfg).o)).toBe(false);
  });

  it('a third mm goes untracked; when only it is left the bit stays set: a false "maybe shared"', () => {
    const k = kernelAfter(cfg, [fault(0, 0), fork(0), fork(0), exit(0), exit(1)]);
    // Only mm2 maps the folio now (2 PTEs), but neither slot counts its mappings.
    expect(words(k)).toEqual([2, 0, 0, 0, 0, 1]);
    expect(mm_id_maybe_mapped_shared(folioOf(k, 0), kernelMmId(cfg).o)).toBe(true);
  });

  it('partial unmap by the owner keeps its slot while it has mappings', () => {
    expect(words(kernelAfter(cfg, [fault(0, 0), fork(0), zap(1, 0, 1)]))).toEqual([3, 1, 2, 2, 1, 1]);
  });

  it('a third mm left alone with one mapping: mapped once, so not "maybe shared" though the bit is set', () => {
    const k = kernelAfter(cfg, [fault(0, 0), fork(0), fork(0), exit(0), exit(1), zap(2, 0, 1)]);
    expect(words(k)).toEqual([1, 0, 0, 0, 0, 1]);
    expect(mm_id_maybe_mapped_shared(folioOf(k, 0), kernelMmId(cfg).o)).toBe(false);
  });
});

describe('mm-id: an owner adding to its own slot', () => {
  const thpCfg = config({
    mms: 2,
    va: 2,
    pt: 2,
    large: 2,
    slots: 4,
    pins: 1,
    ops: ['thp', 'split_pmd', 'fork', 'zap', 'pin', 'fault'],
    schemes: ['mm-id'],
  });

  it('the PMD split by the owner of slot 0: +2 PTEs to its slot, then -1 for the PMD; slot 1 stays free', () => {
    expect(words(kernelAfter(thpCfg, [thp(0, 0)]))).toEqual([1, 1, 1, 0, 0, 0]);
    expect(words(kernelAfter(thpCfg, [thp(0, 0), splitPmd(0, 0)]))).toEqual([2, 1, 2, 0, 0, 0]);
  });

  it('the PMD split by the owner of slot 1 (the fork child): its slot counts its two PTEs', () => {
    expect(words(kernelAfter(thpCfg, [thp(0, 0), fork(0)]))).toEqual([2, 1, 1, 2, 1, 1]);
    expect(words(kernelAfter(thpCfg, [thp(0, 0), fork(0), splitPmd(1, 0)]))).toEqual([3, 1, 1, 2, 2, 1]);
  });

  it('folio_partially_mapped: some pages by PTE only; not when unmapped, fully mapped or PMD-mapped', () => {
    const o = kernelMmId(thpCfg).o;
    const partly = (k: Kernel): boolean | undefined => mmIdScheme.folio_partially_mapped?.(folioOf(k, 0), o);
    expect(partly(kernelAfter(thpCfg, [fault(0, 0), zap(0, 0, 1)]))).toBe(true);
    expect(partly(kernelAfter(thpCfg, [fault(0, 0)]))).toBe(false);
    expect(partly(kernelAfter(thpCfg, [fault(0, 0), pin(0, 0), zap(0, 0, 2)]))).toBe(false);
    expect(partly(kernelAfter(thpCfg, [thp(0, 0)]))).toBe(false);
  });
});
