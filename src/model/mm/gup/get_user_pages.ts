/**
 * get_user_pages - a FOLL_GET reference to one mapped page, as vmsplice() takes for a pipe; and put_page,
 * the pipe dropping it
 *
 * Models:   fs/splice.c vmsplice_to_pipe() -> iov_iter_get_pages2() -> mm/gup.c get_user_pages_fast() with
 *           FOLL_GET and without FOLL_PIN or FOLL_WRITE: try_grab_folio(FOLL_GET) raises `_refcount` only.
 *           gup_must_unshare() (mm/internal.h) returns false unless FOLL_PIN is set and FOLL_WRITE is not, so
 *           a shared anon page is referenced as it is, never unshared (measured on 6.18: the child's PTE keeps
 *           the shared PFN after its vmsplice(); src/kernel/kernel.test.ts). 5.8 is the exception: its
 *           GUP-time COW break (17839856fd58, should_force_cow_break()) applied to FOLL_GET as to FOLL_PIN.
 *           put_page: fs/pipe.c anon_pipe_buf_release() -> put_page() when the pipe is drained or closed.
 * Context:  one step each (GUP-fast, or the slow path under the mmap lock; the release under no lock).
 * Return:   0; 'EFAULT' if the address maps no anonymous folio (none, or the zero page, which the model
 *           gives no folio and GUP no reference); 'EEXIST' if a live pin or reference names the address;
 *           'ENOMEM' if every entry of the pin table is in use, or a fault needs a folio slot and none is free.
 *           put_page: 0, or 'EINVAL' if entry idx is not a live FOLL_GET reference.
 * Deviates: the reference is an entry of the pin table (`get` set) so that the model knows which page it
 *           holds: it shares the `--pins` bound, the "one entry per address" rule, and what dataIsolation
 *           checks of a detached entry (what the pipe reads must not change after its owner unmapped the
 *           page: cow.c's vmsplice tests); it is not a pin (no `_pincount`, no pinSeesOwnersPage).
 */
import { gupBreaksCow } from '../../eras.js';
import { folio_put } from '../../include/mm.js';
import type { Folio, Kernel, Mm, Pin, Pmd, Pte } from '../../include/mm_types.js';
import { handle_mm_fault } from '../memory/handle_mm_fault.js';
import { vma_writable } from '../vma.js';
import { follow_page_folio, follow_page_index } from './follow_page.js';
import { pin_insert, pin_remove } from './pin_table.js';
import { follow_page_writable_or_fault } from './pin_user_pages.js';

export function get_user_pages(k: Kernel, m: number, addr: number): 0 | 'EFAULT' | 'EEXIST' | 'ENOMEM' {
  const pins = k.pin;
  const last = pins[pins.length - 1];
  if (last === undefined || last.live) return 'ENOMEM';
  const mm = k.mm[m];
  if (mm === undefined || !mm.live) return 'EFAULT';
  if (gupBreaksCow(k.cfg) && vma_writable(mm, addr)) {
    const ret = follow_page_writable_or_fault(k, m, addr);
    if (ret) return ret;
  }
  if ((mm.pte[addr] as Pte).swp) {
    // faultin_page(): a read fault swaps the page in first.
    const ret = handle_mm_fault(k, m, addr, 'read');
    if (ret === 'ENOMEM') return ret;
    if (ret !== 0) return 'EFAULT';
  }
  const pmd = mm.pmd[(addr / k.cfg.pt) | 0] as Pmd;
  if (!pmd.huge && !(mm.pte[addr] as Pte).present) return 'EFAULT';
  for (const pin of pins as Pin[]) if (pin.live && pin.attached && pin.mm === m && pin.addr === addr) return 'EEXIST';
  const slot = follow_page_folio(k, mm, addr);
  const page = follow_page_index(k, mm, addr);
  // try_grab_folio(FOLL_GET): a reference, nothing else.
  (k.folio[slot] as Folio)._refcount += 1;
  pin_insert(pins, m, addr, slot, page, k.cfg.data ? ((k.mm[m] as Mm).expect[addr] as number) : 0, false, true);
  return 0;
}

export function put_page(k: Kernel, idx: number): 0 | 'EINVAL' {
  const pin = k.pin[idx];
  if (pin === undefined || !pin.live || !pin.get) return 'EINVAL';
  const slot = pin.folio;
  pin_remove(k.pin, idx);
  folio_put(k, slot);
  return 0;
}
