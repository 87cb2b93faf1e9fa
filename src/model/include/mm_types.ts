/**
 * The model's kernel objects, after include/linux/mm_types.h.
 *
 * Two implementations satisfy these interfaces and every operation runs unchanged on both:
 * plain objects (`plain.ts`: fixtures, immer drafts in traces) and typed-array views (`views.ts`: the
 * exhaustive search's hot path, where no object is allocated per transition).
 *
 * Counters hold **logical** values: the kernel stores `_mapcount` with a -1 bias and its accessors add 1;
 * here the stored value is already the logical one (0 = unmapped), so no accessor adds anything.
 * A folio is named by its slot in `Kernel.folio`, the model's stand-in for a pfn.
 */
import type { Config } from '../config.js';

/** A page-table entry (pte_t). Only what the rules read: present, write, and which page it maps. */
export interface Pte {
  /** pte_present(); a none PTE has all other fields zero. */
  present: boolean;
  /** pte_write(). */
  write: boolean;
  /** Folio slot of the mapped page (meaningful when present). */
  folio: number;
  /** Index of the mapped page within its folio (folio_page_idx()). */
  page: number;
}

/** struct mm_struct: one process's address space (one anonymous VMA covering 0..va-1). */
export interface Mm {
  /** The mm exists (mm 0 from the start; others after fork). */
  live: boolean;
  /** The PTEs of all page tables of this mm, by virtual page number. */
  pte: Pte[];
}

/** struct page: the per-page state of an anonymous folio. */
export interface Page {
  /** Logical page->_mapcount: present PTEs mapping this page (kernel stores it minus one). */
  _mapcount: number;
  /** PG_anon_exclusive; read with PageAnonExclusive(). */
  anon_exclusive: boolean;
}

/** struct folio: a slot of the folio table; `used` false means free (all fields zero). */
export interface Folio {
  used: boolean;
  /** folio_nr_pages(): 1 for a small folio. */
  nr_pages: number;
  /** References: one per mapping, one per pin (see gup/pin_user_pages.ts for the deviation). */
  _refcount: number;
  /** FOLL_PIN pins on this folio, small folios included (kernel-mm.md §6: exact pin counts). */
  _pincount: number;
  /**
   * The "one mapcount per folio" proposal (kernel-mm.md §3.2): (mm, page table) tuples mapping the folio,
   * maintained by naive increment/decrement per rmap call. Signed: a desynced counter can go negative.
   */
  _tuple_mapcount: number;
  /** Pages 0..nr_pages-1 are the folio's; the rest are zero. Length is the configured large size. */
  pages: Page[];
}

/** A live FOLL_PIN | FOLL_LONGTERM pin, as io_uring fixed buffers or vmsplice take one. */
export interface Pin {
  live: boolean;
  /** Pinning mm and address: the owner whose later writes the pin must keep seeing. */
  mm: number;
  addr: number;
  /** The pinned page. */
  folio: number;
  page: number;
  /**
   * The owner still maps `addr` (no zap since the pin): only then must the PTE map the pinned page.
   * Bookkeeping of the model, not a kernel field.
   */
  attached: boolean;
}

/** The whole modelled machine: every mm, the folio table and the pin table. */
export interface Kernel {
  readonly cfg: Config;
  mm: Mm[];
  folio: Folio[];
  /**
   * Allocated folios, as the page allocator counts them. Derived, never encoded: it lets the encoder see
   * at once whether some allocated folio is referenced by nothing (a leak).
   */
  nr_folios: number;
  /** Pins sorted by (mm, addr), empty ones last: pins are interchangeable, so their order is canonical. */
  pin: Pin[];
}
