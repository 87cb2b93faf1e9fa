/**
 * pinSeesOwnersPage (docs/kernel-rules.md §5 I7): a live, attached FOLL_PIN pin names the page its owner maps
 * at the pinned address. On the states the kernel's steps make, which keep it, and on states broken by hand,
 * with the words explain() gives: what the owner maps now (a page, or nothing) and a pin naming an mm that
 * does not exist. (Its mutation run showed no test ever read those words, nor made a pin without its mm.)
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  fault,
  get,
  invariantVerdict,
  kernelAfter,
  pin,
  pinOf,
  THP_SWAP_OPS,
  thp,
  zap,
} from '../../../test/helpers.js';
import type { Kernel } from '../include/mm_types.js';
import { CORE_OPS } from '../steps/index.js';
import pinSeesOwnersPage from './pinSeesOwnersPage.js';

const verdict = (k: Kernel) => invariantVerdict(pinSeesOwnersPage, k);

/** bench-core's bounds (two mms, one order-2 folio per mm) with FOLL_GET references. */
const core = config({ ops: [...CORE_OPS, 'get'] });

describe('pinSeesOwnersPage', () => {
  it('holds for a pin on the page the owner maps, and for one the owner unmapped since (detached)', () => {
    const k = kernelAfter(core, [fault(0, 0), pin(0, 1)]);
    expect(verdict(k)).toEqual({ ok: true, lines: [] });
    const zapped = kernelAfter(core, [fault(0, 0), pin(0, 1), zap(0, 1, 1)]);
    expect(pinOf(zapped, 0).attached).toBe(false);
    expect(verdict(zapped)).toEqual({ ok: true, lines: [] });
  });

  it('a pin on another page than the owner maps breaks it, named with the page the owner maps now', () => {
    const k = kernelAfter(core, [fault(0, 0), pin(0, 1)]);
    pinOf(k, 0).page = 2;
    expect(verdict(k)).toEqual({
      ok: false,
      lines: ['pin 0 holds folio 0 page 2, but mm0 0x1 maps folio 0 page 1'],
    });
  });

  it('an attached pin whose address the owner no longer maps breaks it: the owner maps nothing there', () => {
    // zap() detaches the pin (the owner unmapped it); attached again by hand, it claims a mapping that is gone.
    const k = kernelAfter(core, [fault(0, 0), pin(0, 1), zap(0, 1, 1)]);
    pinOf(k, 0).attached = true;
    expect(verdict(k)).toEqual({
      ok: false,
      lines: ['pin 0 holds folio 0 page 1, but mm0 0x1 maps nothing'],
    });
  });

  it('a pin naming an mm that does not exist breaks it, and that mm maps nothing', () => {
    const k = kernelAfter(core, [fault(0, 0), pin(0, 1)]);
    pinOf(k, 0).mm = 2; // bench-core has mm0 and mm1 only
    expect(verdict(k)).toEqual({
      ok: false,
      lines: ['pin 0 holds folio 0 page 1, but mm2 0x1 maps nothing'],
    });
  });

  it('a FOLL_GET reference promises no coherence: one left on another page keeps it', () => {
    const k = kernelAfter(core, [fault(0, 0), get(0, 1)]);
    expect(pinOf(k, 0).get).toBe(true);
    pinOf(k, 0).page = 2;
    expect(verdict(k)).toEqual({ ok: true, lines: [] });
  });

  it('reads the owner’s page through a huge PMD: the page is the address within the folio', () => {
    const c = config({ ops: THP_SWAP_OPS, mms: 1, va: 4, pt: 2, map: 4, large: 2 });
    const k = kernelAfter(c, [thp(0, 2), pin(0, 3)]);
    expect(verdict(k)).toEqual({ ok: true, lines: [] });
    pinOf(k, 0).page = 0;
    expect(verdict(k)).toEqual({
      ok: false,
      lines: ['pin 0 holds folio 0 page 0, but mm0 0x3 maps folio 0 page 1'],
    });
  });
});
