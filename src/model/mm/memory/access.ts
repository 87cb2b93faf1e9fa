/**
 * User-space loads and stores: the steps `write(m,a)` and `read(m,a)`.
 *
 * Models:   a CPU access that faults into handle_mm_fault() when the PTE does not allow it, then
 *           completes; with data tracking, a store writes a fresh value into the page it reaches and into
 *           the process's own record of what it wrote (docs/kernel-rules.md §5 I15, the property cow.c checks).
 * Context:  one step.
 * Return:   as handle_mm_fault(); 'NOP' for a read that needs no fault, and for a store that needs none
 *           when contents are not tracked (nothing changes, so the search does not count it).
 */
import type { Folio, Kernel, Page, Pin } from '../../include/mm_types.js';
import { follow_page_folio, follow_page_index } from '../gup/follow_page.js';
import { handle_mm_fault } from './handle_mm_fault.js';

export function userWrite(k: Kernel, m: number, addr: number): 0 | 'EFAULT' | 'ENOMEM' | 'NOP' {
  const ret = handle_mm_fault(k, m, addr, 'write');
  if (ret === 'NOP' && !k.cfg.data) return 'NOP';
  if (ret === 'EFAULT' || ret === 'ENOMEM') return ret;
  storeFreshValue(k, m, addr);
  return 0;
}

export function userRead(k: Kernel, m: number, addr: number): 0 | 'EFAULT' | 'ENOMEM' | 'NOP' {
  return handle_mm_fault(k, m, addr, 'read');
}

/**
 * The store itself: a value no page, swap slot or record holds yet goes into the page mapped at `addr`
 * (writable by now), into the writer's record, and into the record of every pin the writer holds there.
 */
export function storeFreshValue(k: Kernel, m: number, addr: number): void {
  if (!k.cfg.data) return;
  const mm = k.mm[m];
  if (mm === undefined) return;
  const slot = follow_page_folio(k, mm, addr);
  if (slot < 0) return;
  k.values += 1;
  const value = k.values;
  ((k.folio[slot] as Folio).pages[follow_page_index(k, mm, addr)] as Page).data = value;
  mm.expect[addr] = value;
  for (const pin of k.pin as Pin[]) {
    if (pin.live && pin.attached && pin.mm === m && pin.addr === addr) pin.expect = value;
  }
}
