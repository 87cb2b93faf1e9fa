/**
 * writablePteIsExclusive (docs/kernel-rules.md §5 I1): a writable PTE maps a page whose PG_anon_exclusive is
 * set. On states broken by hand where the page the PTE names does not exist (no such folio slot, no such page
 * in the folio), with the words explain() gives: a page that does not exist is not exclusive, under either
 * granularity of the bit. (Its mutation run showed no test ever made such a PTE, nor read the words.)
 */
import { describe, expect, it } from 'vitest';
import { config, fault, fork, invariantVerdict, kernelAfter, pteOf } from '../../../test/helpers.js';
import type { Kernel } from '../include/mm_types.js';
import writablePteIsExclusive from './writablePteIsExclusive.js';

const verdict = (k: Kernel) => invariantVerdict(writablePteIsExclusive, k);

describe('writablePteIsExclusive', () => {
  it('holds on a fresh folio, writable and exclusive, and after fork() write-protected it', () => {
    expect(verdict(kernelAfter(config(), [fault(0, 0)]))).toEqual({ ok: true, lines: [] });
    expect(verdict(kernelAfter(config(), [fault(0, 0), fork(0)]))).toEqual({ ok: true, lines: [] });
  });

  it('a writable PTE naming a folio slot that does not exist breaks it', () => {
    const k = kernelAfter(config(), [fault(0, 0)]);
    pteOf(k, 0, 0).folio = 99;
    expect(verdict(k)).toEqual({
      ok: false,
      lines: ['mm0 PTE 0x0 is writable but folio 99 page 0 is not AnonExclusive'],
    });
  });

  it.each(['page', 'folio'] as const)(
    'a writable PTE naming a page its folio does not have breaks it (AnonExclusive per %s)',
    (ae) => {
      const k = kernelAfter(config({ ae }), [fault(0, 0)]);
      pteOf(k, 0, 2).page = 9;
      expect(verdict(k)).toEqual({
        ok: false,
        lines: ['mm0 PTE 0x2 is writable but folio 0 page 9 is not AnonExclusive'],
      });
    },
  );
});
