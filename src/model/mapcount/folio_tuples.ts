/**
 * folio_tuples - the "one mapcount per folio" proposal, with naive decrement.
 *
 * Models:   the design floated on linux-mm in January 2023 (kernel-mm.md §3.2): a folio's single mapcount
 *           counts the distinct (VMA, page table) pairs that map any of its pages. Never merged.
 * Context:  maintained beside the kernel's per-page counts by the rmap calls themselves.
 * Deviates: "naive" on purpose: every rmap call that adds PTEs of the folio in one page table counts +1,
 *           every call that removes some counts -1, without scanning for PTEs of the folio that remain in
 *           that table. This is bench-core's `core-tuple`; the thread's own objection (partial unmap) is the
 *           shortest way it breaks. With one VMA per mm, (VMA, page table) is (mm, page table).
 */
import type { Folio, Kernel } from '../include/mm_types.js';

/** A new folio mapped by one rmap call in one page table: one tuple. */
export function folio_tuples_set_new(k: Kernel, folio: Folio): void {
  if (k.cfg.tuple) folio._tuple_mapcount = 1;
}

/** One rmap call added a batch of PTEs in one (mm, page table). */
export function folio_tuples_add(k: Kernel, folio: Folio): void {
  if (k.cfg.tuple) folio._tuple_mapcount += 1;
}

/** One rmap call removed a batch of PTEs: naive decrement, whether or not the tuple still maps the folio. */
export function folio_tuples_sub(k: Kernel, folio: Folio): void {
  if (k.cfg.tuple) folio._tuple_mapcount -= 1;
}
