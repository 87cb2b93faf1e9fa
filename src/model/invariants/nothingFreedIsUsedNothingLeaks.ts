/**
 * No use after free and no leak (the whole model's counterpart of print_bad_pte() / bad_page() and of the
 * "Bad page state" reports): every pin names a page of an allocated folio, every swap entry a used swap
 * slot whose count is the number of swap entries naming it, and every allocated folio and used swap slot
 * is referred to by something (a mapping, a pin, a swap entry, the swapcache); otherwise its references leak.
 * The swapcache: a used slot at swap count 0 is held by its swapcache folio, which something maps or pins
 * (an unmapped one would be freed: mm/swap_state.ts), and a slot's swapcache folio is allocated.
 */
import type { Folio, Kernel, Mm, Pin, Pte, SwapSlot } from '../include/mm_types.js';
import type { Truth } from '../recount/truth.js';
import { defineInvariant, hex } from './defineInvariant.js';

function pinOk(k: Kernel, pin: Pin): boolean {
  if (!pin.live) return true;
  const folio = k.folio[pin.folio];
  return folio?.used === true && pin.page < folio.nr_pages;
}

function mappedOrPinned(k: Kernel, t: Truth, s: number): boolean {
  if ((t.pmdmaps[s] as number) > 0) return true;
  const folio = k.folio[s] as Folio;
  for (let j = 0; j < folio.nr_pages; j++) if (t.maps(s, j) > 0) return true;
  for (const pin of k.pin as Pin[]) if (pin.live && pin.folio === s) return true;
  return false;
}

function referenced(k: Kernel, t: Truth, s: number): boolean {
  if (mappedOrPinned(k, t, s)) return true;
  for (const slot of k.swap as SwapSlot[]) if (slot.used && slot.cache && slot.folio === s) return true;
  return false;
}

/** A used slot: swap entries name it, or its swapcache folio is mapped or pinned; that folio is allocated. */
function slotHeld(k: Kernel, t: Truth, slot: SwapSlot): boolean {
  if (slot.cache && !(k.folio[slot.folio] as Folio | undefined)?.used) return false;
  return slot.count > 0 || (slot.cache && mappedOrPinned(k, t, slot.folio));
}

function swapRefs(k: Kernel, i: number): number {
  let n = 0;
  for (const mm of k.mm as Mm[]) for (const pte of mm.pte as Pte[]) if (pte.swp && pte.swap === i) n += 1;
  return n;
}

function swapOk(k: Kernel, t: Truth): boolean {
  for (const mm of k.mm as Mm[]) {
    for (const pte of mm.pte as Pte[]) if (pte.swp && !(k.swap[pte.swap] as SwapSlot | undefined)?.used) return false;
  }
  for (let i = 0; i < k.swap.length; i++) {
    const slot = k.swap[i] as SwapSlot;
    if (slot.used && (!slotHeld(k, t, slot) || slot.count !== swapRefs(k, i))) return false;
  }
  // I4: a swap entry with the exclusive marker is the only swap PTE naming its slot.
  for (const mm of k.mm as Mm[]) {
    for (const pte of mm.pte as Pte[]) if (pte.swp && pte.swp_exclusive && swapRefs(k, pte.swap) !== 1) return false;
  }
  return true;
}

export default defineInvariant({
  name: 'nothingFreedIsUsedNothingLeaks',
  property: 'uaf',
  description:
    'Every pin and swap entry names something allocated, swap counts equal the swap entries, and every ' +
    'allocated folio or swap slot is referred to by a mapping, a pin or a swap entry (no use after free, no leak).',
  holds: (k, t) => {
    for (const pin of k.pin) if (!pinOk(k, pin)) return false;
    for (let u = 0; u < t.nrUsed; u++) if (!referenced(k, t, t.used[u] as number)) return false;
    // Even without swap slots: a swap entry then names a slot that does not exist (a few PTEs to read).
    return swapOk(k, t);
  },
  explain: (k, t) => {
    const out: string[] = [];
    k.pin.forEach((pin, i) => {
      if (!pinOk(k, pin)) out.push(`pin ${i} (mm${pin.mm} ${hex(pin.addr)}) names folio ${pin.folio}, which is freed`);
    });
    for (let u = 0; u < t.nrUsed; u++) {
      const s = t.used[u] as number;
      if (!referenced(k, t, s)) out.push(`folio ${s} is allocated but nothing maps or pins it (a leak)`);
    }
    k.mm.forEach((mm, m) => {
      mm.pte.forEach((pte, a) => {
        if (pte.swp && !k.swap[pte.swap]?.used) out.push(`mm${m} ${hex(a)} names swap slot ${pte.swap}, which is free`);
      });
    });
    k.swap.forEach((slot, i) => {
      if (slot.used && slot.count !== swapRefs(k, i)) {
        out.push(`swap slot ${i}: count ${slot.count}, but ${swapRefs(k, i)} swap entries name it`);
      } else if (slot.used && slot.cache && !k.folio[slot.folio]?.used) {
        out.push(`swap slot ${i}: its swapcache folio ${slot.folio} is freed`);
      } else if (slot.used && !slotHeld(k, t, slot)) {
        out.push(`swap slot ${i} is used, but no swap entry names it and no mapped or pinned swapcache folio holds it`);
      }
    });
    k.mm.forEach((mm, m) => {
      mm.pte.forEach((pte, a) => {
        if (pte.swp && pte.swp_exclusive && swapRefs(k, pte.swap) !== 1) {
          out.push(
            `mm${m} ${hex(a)}: swap entry ${pte.swap} has the exclusive marker, but ${swapRefs(k, pte.swap)} entries name that slot (I4)`,
          );
        }
      });
    });
    return out;
  },
});
