/**
 * anonExclusiveMappedOnce (docs/kernel-rules.md §5 I2, I3): a PG_anon_exclusive page is mapped at most once,
 * and no page past a folio's end is marked. On states broken by hand, with the words explain() gives: a mark
 * past the end, and a freed slot, whose stale bits are no folio's. (Its mutation run showed no test ever
 * marked a page past a folio's end, nor asked explain() about a freed slot.)
 */
import { describe, expect, it } from 'vitest';
import { config, fault, invariantVerdict, kernelAfter, pageOf, read, zap } from '../../../test/helpers.js';
import type { Kernel } from '../include/mm_types.js';
import { CORE_OPS } from '../steps/index.js';
import anonExclusiveMappedOnce from './anonExclusiveMappedOnce.js';

const verdict = (k: Kernel) => invariantVerdict(anonExclusiveMappedOnce, k);

/** A small folio in slot 0 of a configuration of order-2 folios (the zero page at 0x0 forces order 0). */
const smallFolio = (): Kernel => kernelAfter(config({ ops: [...CORE_OPS, 'read'] }), [read(0, 0), fault(0, 1)]);

describe('anonExclusiveMappedOnce', () => {
  it('holds on the small folio the fault made: its one page is exclusive and mapped once', () => {
    const k = smallFolio();
    expect(k.folio[0]?.nr_pages).toBe(1);
    expect(pageOf(k, 0, 0).anon_exclusive).toBe(true);
    expect(verdict(k)).toEqual({ ok: true, lines: [] });
  });

  it('a page just past the end of the folio marked exclusive breaks it, though nothing maps it', () => {
    const k = smallFolio();
    pageOf(k, 0, 1).anon_exclusive = true;
    expect(verdict(k)).toEqual({
      ok: false,
      lines: ['folio 0 page 1 is AnonExclusive, past the end of the folio (nr_pages 1)'],
    });
  });

  it('a freed slot’s stale mark is not judged, in holds() or in explain()', () => {
    const k = kernelAfter(config(), [fault(0, 0), zap(0, 0, 4)]);
    expect(k.folio[0]?.used).toBe(false);
    pageOf(k, 0, 0).anon_exclusive = true;
    expect(verdict(k)).toEqual({ ok: true, lines: [] });
  });
});
