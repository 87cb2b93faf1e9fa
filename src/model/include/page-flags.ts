/**
 * PG_anon_exclusive accessors, after include/linux/page-flags.h (since 5.19, 6c287605fd56).
 *
 * The bit says "this page is mapped by exactly one process and may be written without copying";
 * docs/kernel-rules.md §1.4. It is meaningful only while the page is mapped and may be stale afterwards.
 *
 * These three functions are the only readers and writers of the bit, so the two policies that change it
 * live here and nowhere else:
 * - the era: before 5.19 the bit does not exist; it is never set and always reads clear (eras.ts);
 * - the granularity (`--ae`): `page` is the kernel's bit per page; `folio` is the one bit per folio the
 *   January 2023 thread wondered about, kept in the head page (where the kernel keeps the bit of a
 *   PMD-mapped folio). Set where the kernel sets AE on any page of the folio, cleared where it clears AE on
 *   any page, read for every page: README, "AnonExclusive per folio".
 */
import { hasAnonExclusive } from '../eras.js';
import type { Folio, Kernel, Page } from './mm_types.js';

function bitOf(k: Kernel, folio: Folio, page: Page): Page {
  return k.cfg.aeFolio ? (folio.pages[0] as Page) : page;
}

export function PageAnonExclusive(k: Kernel, folio: Folio, page: Page): boolean {
  return bitOf(k, folio, page).anon_exclusive;
}

export function SetPageAnonExclusive(k: Kernel, folio: Folio, page: Page): void {
  if (!hasAnonExclusive(k.cfg)) return;
  bitOf(k, folio, page).anon_exclusive = true;
}

export function ClearPageAnonExclusive(k: Kernel, folio: Folio, page: Page): void {
  bitOf(k, folio, page).anon_exclusive = false;
}
