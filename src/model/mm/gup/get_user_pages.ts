import { folio_put } from '../../include/mm.js';
import type { Folio, Kernel, Mm, Pin, Pmd, Pte } from '../../include/mm_types.js';
import { follow_page_folio, follow_page_index } from './follow_page.js';
import { pin_insert, pin_remove } from './pin_table.js';
import { gup_faultin } from './pin_user_pages.js';

export function get_user_pages(k: Kernel, m: number, addr: number): 0 | 'EFAULT' | 'EEXIST' | 'ENOMEM' {
  const pins = k.pin;
  const ret = gup_faultin(k, m, addr, false);
  if (ret !== 0) return ret;
  const mm = k.mm[m] as Mm;
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
