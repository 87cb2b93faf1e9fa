/**
 * VM_WARN_ON_FOLIO (debug.ts): the warning a kernel rule raises, as the checker reports it (a
 * `kernel-warning` verdict printing the error's message, `where` and `why`). Its mutation run showed no test
 * read the words.
 */
import { describe, expect, it } from 'vitest';
import { config, fault, folioOf, kernelAfter } from '../../test/helpers.js';
import { KernelWarning, VM_WARN_ON_FOLIO } from './debug.js';

describe('VM_WARN_ON_FOLIO', () => {
  const folio = folioOf(kernelAfter(config(), [fault(0, 0)]), 0);

  it('is silent while the condition is false', () => {
    expect(() => VM_WARN_ON_FOLIO(false, folio, 'f()', 'why')).not.toThrow();
  });

  it("throws a KernelWarning naming the function, the reason and the folio's size and references", () => {
    let caught: unknown;
    try {
      VM_WARN_ON_FOLIO(true, folio, 'folio_remove_rmap_ptes()', 'mapcount below zero');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(KernelWarning);
    const w = caught as KernelWarning;
    expect(w.name).toBe('KernelWarning');
    expect(w.where).toBe('folio_remove_rmap_ptes()');
    expect(w.why).toBe(`mapcount below zero (nr_pages ${folio.nr_pages}, _refcount ${folio._refcount})`);
    expect(w.message).toBe(`folio_remove_rmap_ptes(): ${w.why}`);
    expect(folio.nr_pages).toBeGreaterThan(0);
  });
});
