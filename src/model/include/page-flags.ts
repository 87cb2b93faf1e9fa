/**
 * PG_anon_exclusive accessors, after include/linux/page-flags.h (since 5.19, 6c287605fd56).
 *
 * The bit says "this page is mapped by exactly one process and may be written without copying";
 * kernel-mm.md §1.4. It is meaningful only while the page is mapped and may be stale afterwards.
 */
import type { Page } from './mm_types.js';

export function PageAnonExclusive(page: Page): boolean {
  return page.anon_exclusive;
}

export function SetPageAnonExclusive(page: Page): void {
  page.anon_exclusive = true;
}

export function ClearPageAnonExclusive(page: Page): void {
  page.anon_exclusive = false;
}
