/**
 * Folio allocation and freeing, after mm/page_alloc.c.
 *
 * Models:   folio_alloc() / __free_pages() over a bounded table of folio slots.
 * Deviates: allocation takes the lowest free slot and never fails for lack of memory; running out of
 *           slots is a search bound, and the operation that needed the slot is then not enabled (no part of
 *           it happens; docs/bench-core.md "alloc"). Slot names carry no meaning: states are
 *           identified up to renaming them (codec.ts).
 */
import { VM_WARN_ON_FOLIO } from '../debug.js';
import type { Folio, Kernel, Page } from '../include/mm_types.js';
import { type SchemeSlot, schemeSlots } from '../mapcount/index.js';

/** Returned by allocation when every slot is in use. */
export const NO_SLOT = -1;

/**
 * folio_alloc() - a new folio of `nr` pages holding the allocation reference (refcount 1).
 * Return: its slot, or NO_SLOT.
 */
export function folio_alloc(k: Kernel, nr: number): number {
  const folios = k.folio;
  for (let s = 0; s < folios.length; s++) {
    const folio = folios[s] as Folio;
    if (!folio.used) {
      folio.used = true;
      folio.nr_pages = nr;
      folio._refcount = 1;
      k.nr_folios += 1;
      return s;
    }
  }
  return NO_SLOT;
}

/** Whether `n` more folios could be allocated now. */
export function free_slots_at_least(k: Kernel, n: number): boolean {
  if (n === 0) return true;
  let free = 0;
  for (const folio of k.folio) if (!folio.used && ++free >= n) return true;
  return false;
}

/**
 * free_folio - the last reference is gone: return the slot (free_pages_prepare()).
 * The kernel's bad_page() checks become warnings: a folio freed while mapped or pinned.
 */
export function free_folio(k: Kernel, slot: number): void {
  const folio = k.folio[slot] as Folio;
  // Stryker disable next-line StringLiteral: the warning's words, not a rule (docs/mutation-testing.md)
  VM_WARN_ON_FOLIO(folio._pincount !== 0, folio, 'free_pages_prepare', 'freeing a pinned folio');
  for (let j = 0; j < folio.nr_pages; j++) {
    const page = folio.pages[j] as Page;
    // Stryker disable next-line StringLiteral: the warning's words, not a rule (docs/mutation-testing.md)
    VM_WARN_ON_FOLIO(page._mapcount !== 0, folio, 'free_pages_prepare', `freeing mapped page ${j}`);
    page.anon_exclusive = false;
    page.data = 0;
  }
  // Stryker disable next-line StringLiteral: the warning's words, not a rule (docs/mutation-testing.md)
  VM_WARN_ON_FOLIO(folio._entire_mapcount !== 0, folio, 'free_pages_prepare', 'freeing a PMD-mapped folio');
  folio.used = false;
  folio.nr_pages = 0;
  folio._refcount = 0;
  folio.partially_mapped = 0;
  if (folio.mc.length > 0) bad_page_schemes(k, folio);
  for (let i = 0; i < folio.mc.length; i++) folio.mc[i] = 0;
  k.nr_folios -= 1;
}

/**
 * bad_page() for the schemes: free_pages_prepare() reports a page freed with a mapcount other than -1; a
 * scheme's words must likewise be back at zero. A scheme that desynced and was freed in the same step
 * (a large folio split and swapped out at once) would otherwise pass unseen: its taint bit stays set and
 * its invariant fails from then on.
 */
function bad_page_schemes(k: Kernel, folio: Folio): void {
  const slots = schemeSlots(k.cfg);
  for (let i = 0; i < slots.length; i++) {
    const { scheme, o } = slots[i] as SchemeSlot;
    for (let j = 0; j < scheme.words.length; j++) {
      if (folio.mc[o + j] !== 0) {
        k.bad_page |= 1 << i;
        break;
      }
    }
  }
}
