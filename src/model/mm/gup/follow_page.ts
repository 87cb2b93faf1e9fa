/**
 * follow_page - which page of which folio a virtual address maps, through a huge PMD or a PTE
 *
 * Models:   mm/gup.c follow_page_mask() -> follow_pmd_mask() / follow_page_pte(), without taking a
 *           reference: the lookup GUP, the pin-coherence invariant and user stores share.
 * Return:   the folio slot (and, from `follow_page_index`, the page within it), or -1 when the address
 *           maps no folio page (none, zero page or swap entry).
 */
import type { Kernel, Mm, Pmd, Pte } from '../../include/mm_types.js';

export function follow_page_folio(k: Kernel, mm: Mm, addr: number): number {
  const pt = k.cfg.pt;
  const pmd = mm.pmd[(addr / pt) | 0] as Pmd;
  if (pmd.huge) return pmd.folio;
  const pte = mm.pte[addr] as Pte;
  return pte.present ? pte.folio : -1;
}

export function follow_page_index(k: Kernel, mm: Mm, addr: number): number {
  const pt = k.cfg.pt;
  const pmd = mm.pmd[(addr / pt) | 0] as Pmd;
  if (pmd.huge) return addr % pt;
  const pte = mm.pte[addr] as Pte;
  return pte.present ? pte.page : -1;
}

/** Whether the mapping at `addr` is writable (huge PMD or PTE). */
export function follow_page_writable(k: Kernel, mm: Mm, addr: number): boolean {
  const pmd = mm.pmd[(addr / k.cfg.pt) | 0] as Pmd;
  return pmd.huge ? pmd.write : (mm.pte[addr] as Pte).write;
}
