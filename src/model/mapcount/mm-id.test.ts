/**
 * MM-ID owner tracking (docs/kernel-rules.md §3.4), step by step on the examples the series gives.
 */
import { describe, expect, it } from 'vitest';
import { config, exit, fault, folioOf, fork, kernelAfter, zap } from '../../../test/helpers.js';
import type { Kernel } from '../state/schema.js';
import { kernelMmId } from './index.js';
import { mm_id_maybe_mapped_shared } from './mm-id.js';

const cfg = config({
  mms: 3,
  va: 2,
  pt: 2,
  large: 2,
  slots: 4,
  ops: ['fault', 'fork', 'zap', 'exit'],
  schemes: ['mm-id'],
});

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
});
