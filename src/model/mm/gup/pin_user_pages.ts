/**
 * pin_user_pages - a read-only FOLL_PIN | FOLL_LONGTERM pin of one mapped page (vmsplice, io_uring fixed
 * buffers)
 *
 * Models:   mm/gup.c __get_user_pages() -> follow_page_pte() with gup_must_unshare() (mm/internal.h) and
 *           faultin_page(FAULT_FLAG_UNSHARE), then try_grab_folio(FOLL_PIN) (docs/kernel-rules.md §2.11). Eras
 *           (eras.ts): 5.19+ unshare a non-exclusive page first; 5.8 breaks COW with a write fault instead
 *           (17839856fd58); 5.7 and 5.9 pin whatever is mapped.
 * Context:  one step: the unshare fault and the grab happen under the same mmap lock, so no other step can
 *           come between them in the model.
 * Return:   0; 'EFAULT' if the address is not mapped (the model pins only present pages); 'EEXIST' if a
 *           live pin still attached to this address exists; 'ENOMEM' if all pin entries are in use or the unshare needs
 *           a copy and no folio slot is free.
 * Deviates: a pin takes one reference on small and large folios alike and counts in `_pincount`
 *           (docs/kernel-rules.md §6: exact pin counts instead of GUP_PIN_COUNTING_BIAS); MMF_HAS_PINNED is not
 *           kept (taken as set, see folio_needs_cow_for_dma()). Before 5.19 the zero page is not pinned
 *           ('EFAULT'): it has no folio in the model, and nothing can write it.
 */

import { GUP_BREAK_COW, taken } from '../../coverage.js';
import { gupBreaksCow, gupUnshares } from '../../eras.js';
import type { Folio, Kernel, Mm, Page, Pin, Pmd, Pte } from '../../include/mm_types.js';
import { PageAnonExclusive } from '../../include/page-flags.js';
import { do_huge_pmd_wp_page } from '../huge_memory/do_huge_pmd_wp_page.js';
import { do_wp_page } from '../memory/do_wp_page.js';
import { handle_mm_fault } from '../memory/handle_mm_fault.js';
import { vma_writable } from '../vma.js';
import { follow_page_folio, follow_page_index, follow_page_writable } from './follow_page.js';
import { pin_insert } from './pin_table.js';

export function pin_user_pages(k: Kernel, m: number, addr: number, write = false): 0 | 'EFAULT' | 'EEXIST' | 'ENOMEM' {
  const pins = k.pin;
  const last = pins[pins.length - 1];
  if (last === undefined || last.live) return 'ENOMEM';
  const mm = k.mm[m];
  if (mm === undefined || !mm.live) return 'EFAULT';
  // 5.8: GUP in a COW mapping asks for write access even for a R/O pin, so the pinner gets its own copy
  // ("COW can break either way"); a VMA without VM_WRITE could not take the fault and pins as 5.7 did.
  if (write || (gupBreaksCow(k.cfg) && vma_writable(mm, addr))) {
    if (!write) taken(GUP_BREAK_COW);
    const ret = follow_page_writable_or_fault(k, m, addr);
    if (ret) return ret;
  }
  if ((mm.pte[addr] as Pte).swp) {
    // faultin_page(): GUP swaps the page in before it can pin it.
    const ret = handle_mm_fault(k, m, addr, 'read');
    if (ret === 'ENOMEM') return ret;
    if (ret !== 0) return 'EFAULT';
  }
  const pmd = mm.pmd[(addr / k.cfg.pt) | 0] as Pmd;
  const pte = mm.pte[addr] as Pte;
  if (!pmd.huge && !(pte.present || pte.zero)) return 'EFAULT';
  // One pin per mapped address (bench-core's bound). A pin whose address was unmapped since does not count:
  // with at most one pin (bench-core) it makes no difference, and after exit() or mremap() the address may
  // be mapped anew.
  for (const pin of pins as Pin[]) if (pin.live && pin.attached && pin.mm === m && pin.addr === addr) return 'EEXIST';

  if (!gupUnshares(k.cfg)) {
    if (!pmd.huge && pte.zero) return 'EFAULT';
  } else if (pmd.huge) {
    // A R/O pin of a read-only huge PMD whose head is not exclusive unshares it first (§2.11, §2.5).
    const folio = k.folio[pmd.folio] as Folio;
    if (!pmd.write && !PageAnonExclusive(k, folio, folio.pages[0] as Page)) {
      const ret = do_huge_pmd_wp_page(k, m, addr, 'unshare');
      if (ret) return ret === 'EINVAL' ? 'EFAULT' : ret;
    }
  } else if (gup_must_unshare(k, pte)) {
    // follow_page_pte() returned -EMLINK: fault with FAULT_FLAG_UNSHARE, then look the PTE up again.
    const ret = do_wp_page(k, m, addr, 'unshare');
    if (ret) return ret === 'EINVAL' ? 'EFAULT' : ret;
  }
  const slot = follow_page_folio(k, mm, addr);
  const page = follow_page_index(k, mm, addr);
  const folio = k.folio[slot] as Folio;
  // try_grab_folio(FOLL_PIN)
  folio._pincount += 1;
  folio._refcount += 1;
  // The pin sees what its owner last wrote there (data tracking).
  pin_insert(pins, m, addr, slot, page, k.cfg.data ? ((k.mm[m] as Mm).expect[addr] as number) : 0, write);
  return 0;
}

/**
 * FOLL_WRITE: GUP needs a writable mapping, so it faults for write first (faultin_page()); a writable anon
 * mapping is exclusive, so a R/W pin never needs the unshare path (docs/kernel-rules.md §2.11).
 * Return: 0 once the address is mapped writable; 'ENOMEM' if the fault needed a folio slot and none is
 * free (VM_FAULT_OOM); 'EFAULT' otherwise.
 */
export function follow_page_writable_or_fault(k: Kernel, m: number, addr: number): 0 | 'EFAULT' | 'ENOMEM' {
  const mm = k.mm[m] as Mm;
  if (follow_page_folio(k, mm, addr) >= 0 && follow_page_writable(k, mm, addr)) return 0;
  const ret = handle_mm_fault(k, m, addr, 'write');
  if (ret === 'ENOMEM') return ret;
  const ok = (ret === 0 || ret === 'NOP') && follow_page_folio(k, mm, addr) >= 0 && follow_page_writable(k, mm, addr);
  return ok ? 0 : 'EFAULT';
}

/**
 * gup_must_unshare - a R/O pin of a read-only mapped anon page that is not exclusive must unshare first,
 * or a later COW would leave the pin on a page the owner no longer maps (docs/kernel-rules.md §4 B4).
 */
function gup_must_unshare(k: Kernel, pte: Pte): boolean {
  if (pte.write) return false; // writable anon PTE => AnonExclusive
  // A R/O FOLL_LONGTERM pin of the zero page in a COW mapping unshares it too (6.2+, §2.11).
  if (pte.zero) return true;
  const folio = k.folio[pte.folio] as Folio;
  return !PageAnonExclusive(k, folio, folio.pages[pte.page] as Page);
}
