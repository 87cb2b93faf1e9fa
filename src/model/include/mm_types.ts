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

/**
 * A page-table entry (pte_t). Only what the rules read. At most one of `present`, `zero` and `swp` holds;
 * a none PTE has every field zero.
 */
export interface Pte {
  /** Present and mapping a page of a folio (pte_present() && vm_normal_page()). */
  present: boolean;
  /** pte_write(). */
  write: boolean;
  /** Folio slot of the mapped page (meaningful when present). */
  folio: number;
  /** Index of the mapped page within its folio (folio_page_idx()). */
  page: number;
  /** Present and mapping the shared zero page (my_zero_pfn()): read-only, no folio, no counters. */
  zero: boolean;
  /** A swap entry (is_swap_pte()): not present, names swap slot `swap`. */
  swp: boolean;
  /** pte_swp_exclusive(): the page was PG_anon_exclusive when it was swapped out (5.19+). */
  swp_exclusive: boolean;
  /** Swap slot (the model's swp_offset()) of a swap entry. */
  swap: number;
}

/**
 * The VMA attributes of one virtual page. A VMA is a maximal run of mapped pages with equal flags and
 * consecutive `pgoff`: the kernel's vma_merge() criterion for anonymous VMAs, so VMAs split and merge
 * exactly when their pages say so (kernel-mm.md §1.2, §2.8, §2.17).
 */
export interface Vm {
  /** The page is inside some VMA. */
  mapped: boolean;
  /** VM_WRITE. */
  write: boolean;
  /** VM_DONTCOPY (MADV_DONTFORK). */
  dontcopy: boolean;
  /** linear_page_index(): the page's index in its anon_vma; mremap keeps it, so moved pages keep it. */
  pgoff: number;
}

/** A PMD entry: a PTE table (`huge` false), or a huge PMD mapping a whole PMD-sized folio. */
export interface Pmd {
  huge: boolean;
  /** pmd_write(). */
  write: boolean;
  /** Folio slot of the PMD-mapped folio (meaningful when huge). */
  folio: number;
}

/** A swap slot: the swap count (swap PTEs naming it) and the content written out. */
export interface SwapSlot {
  used: boolean;
  /** swap_count(): swap PTEs referencing this slot. */
  count: number;
  /** The page content saved in the slot (data tracking). */
  data: number;
}

/** struct mm_struct: one process's address space. */
export interface Mm {
  /** The mm exists (mm 0 from the start; others after fork, until exit). */
  live: boolean;
  /** The PTEs of all page tables of this mm, by virtual page number. */
  pte: Pte[];
  /** The PMD entry of each page table. */
  pmd: Pmd[];
  /** The VMA attributes of each virtual page. */
  vm: Vm[];
  /**
   * Data tracking: the content this process must read at each page (0: zero-filled), the value of its own
   * last write there or what it inherited at fork. The isolation invariant compares it with the page.
   */
  expect: number[];
}

/** struct page: the per-page state of an anonymous folio. */
export interface Page {
  /** Logical page->_mapcount: present PTEs mapping this page (kernel stores it minus one). */
  _mapcount: number;
  /** PG_anon_exclusive; read with PageAnonExclusive(). */
  anon_exclusive: boolean;
  /** Data tracking: the page's content, a value (0: zero-filled). */
  data: number;
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
  /** Logical _entire_mapcount: huge PMDs mapping the whole folio. */
  _entire_mapcount: number;
  /**
   * The selected mapcount schemes' per-folio words (mapcount/index.ts), `cfg.mcWords` of them: each scheme
   * owns a run starting at its `SchemeSlot.o`. All zero on a free folio.
   */
  mc: Words;
  /** Pages 0..nr_pages-1 are the folio's; the rest are zero. Length is the configured large size. */
  pages: Page[];
}

/** Mutable integer words: a plain array, or a view into the state's Int32Array. */
export interface Words {
  [i: number]: number;
  readonly length: number;
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
  /** FOLL_WRITE: a R/W pin (the device may write); otherwise R/O. */
  write: boolean;
  /** Data tracking: the content the pin must see (the owner's last write while attached). */
  expect: number;
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
  /** The swap slots. */
  swap: SwapSlot[];
  /** Data tracking: the largest content value in use; a write stores `++values`. Derived, never encoded. */
  values: number;
  /** Pins sorted by (mm, addr), empty ones last: pins are interchangeable, so their order is canonical. */
  pin: Pin[];
}
