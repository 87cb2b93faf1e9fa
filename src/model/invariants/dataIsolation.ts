/**
 * No process sees another's writes (docs/kernel-rules.md §5 I15, what every cow.c test checks): with data tracking,
 * every mapping of every live mm reads the content that mm last wrote there or inherited at fork, and a pin
 * whose owner has unmapped the address (a vmsplice() pipe, §4 B2) keeps the content it had: nobody may
 * write into it any more, so a change there is another process's write leaking in.
 *
 * A write that lands in a page another mm still maps or pins (a COW that reused a shared page, §4 B2, B5)
 * breaks this. The other half of I15, a pin that still has its owner's mapping but no longer sees the
 * owner's writes (§4 B3, B4), is `pinSeesOwnersPage`: while the pin is attached, its content is the owner's
 * exactly when the owner maps the pinned page.
 */
import type { Folio, Kernel, Mm, Page, Pin, Pte, SwapSlot } from '../include/mm_types.js';
import { follow_page_folio, follow_page_index } from '../mm/gup/follow_page.js';
import { defineInvariant, hex } from './defineInvariant.js';

/** The content the PTE at (m, a) lets mm m read, or undefined for a none PTE. */
function reads(k: Kernel, mm: Mm, a: number): number | undefined {
  const slot = follow_page_folio(k, mm, a);
  if (slot >= 0) return ((k.folio[slot] as Folio).pages[follow_page_index(k, mm, a)] as Page | undefined)?.data ?? -1;
  const pte = mm.pte[a] as Pte;
  if (pte.zero) return 0;
  if (pte.swp) return (k.swap[pte.swap] as SwapSlot | undefined)?.data ?? -1;
  return undefined;
}

/** A pin whose owner unmapped the address sees a content it did not have then: another mm wrote it. */
function leaked(k: Kernel, pin: Pin): boolean {
  return pin.live && !pin.attached && pinSees(k, pin) !== pin.expect;
}

function pinSees(k: Kernel, pin: Pin): number {
  return ((k.folio[pin.folio] as Folio | undefined)?.pages[pin.page] as Page | undefined)?.data ?? -1;
}

export default defineInvariant({
  name: 'dataIsolation',
  property: 'isolation',
  description:
    'Every mapping reads what its own mm last wrote or inherited at fork, and a pin whose address was ' +
    "unmapped keeps its content: no mm sees another mm's writes (I15, cow.c).",
  appliesTo: (cfg) => cfg.data,
  holds: (k) => {
    for (const mm of k.mm) {
      if (!mm.live) continue;
      for (let a = 0; a < mm.pte.length; a++) {
        const v = reads(k, mm, a);
        if (v !== undefined && v !== mm.expect[a]) return false;
      }
    }
    for (const pin of k.pin) if (leaked(k, pin)) return false;
    return true;
  },
  explain: (k) => {
    const out: string[] = [];
    k.mm.forEach((mm, m) => {
      if (!mm.live) return;
      mm.pte.forEach((_, a) => {
        const v = reads(k, mm, a);
        if (v !== undefined && v !== mm.expect[a]) {
          out.push(`mm${m} reads value ${v} at ${hex(a)}, but its own last write there was value ${mm.expect[a]}`);
        }
      });
    });
    k.pin.forEach((pin, i) => {
      if (leaked(k, pin)) {
        out.push(
          `pin ${i} (mm${pin.mm} ${hex(pin.addr)}, unmapped since) sees value ${pinSees(k, pin)}, ` +
            `but held value ${pin.expect} when its owner unmapped it`,
        );
      }
    });
    return out;
  },
});
