/**
 * User-space loads and stores: the steps `write(m,a)` and `read(m,a)`.
 *
 * Models:   a CPU access that faults into handle_mm_fault() when the PTE does not allow it, then
 *           completes; with data tracking, a store writes a fresh value into the page it reaches and into
 *           the process's own record of what it wrote (kernel-mm.md §5 I15, the property cow.c checks).
 * Context:  one step.
 * Return:   as handle_mm_fault(); 'NOP' for a read that needs no fault, and for a store that needs none
 *           when contents are not tracked (nothing changes, so the search does not count it).
 */
import type { Folio, Kernel, Page, Pin, Pte } from '../../include/mm_types.js';
import { handle_mm_fault } from './handle_mm_fault.js';

export function user_write(k: Kernel, m: number, addr: number): 0 | 'EFAULT' | 'ENOMEM' | 'NOP' {
  const ret = handle_mm_fault(k, m, addr, 'write');
  if (ret === 'NOP' && !k.cfg.data) return 'NOP';
  if (ret === 'EFAULT' || ret === 'ENOMEM') return ret;
  store_fresh_value(k, m, addr);
  return 0;
}

export function user_read(k: Kernel, m: number, addr: number): 0 | 'EFAULT' | 'ENOMEM' | 'NOP' {
  return handle_mm_fault(k, m, addr, 'read');
}

/**
 * The store itself: a value no page, swap slot or record holds yet goes into the page mapped at `addr`
 * (writable by now), into the writer's record, and into the record of every pin the writer holds there.
 */
export function store_fresh_value(k: Kernel, m: number, addr: number): void {
  if (!k.cfg.data) return;
  const mm = k.mm[m];
  const pte = mm?.pte[addr] as Pte | undefined;
  if (mm === undefined || pte === undefined || !pte.present) return;
  k.values += 1;
  const value = k.values;
  ((k.folio[pte.folio] as Folio).pages[pte.page] as Page).data = value;
  mm.expect[addr] = value;
  for (const pin of k.pin as Pin[]) {
    if (pin.live && pin.attached && pin.mm === m && pin.addr === addr) pin.expect = value;
  }
}
