/**
 * A writable PTE or huge PMD lies in a VMA with VM_WRITE (docs/kernel-rules.md §2.1 step 4, §2.2, §2.15: entries
 * are made writable only "iff VM_WRITE"; mprotect() write-protects them when it removes the permission).
 * A writable entry in a read-only VMA would let a process write where it asked not to be able to.
 */
import type { Kernel, Mm } from '../include/mm_types.js';
import { defineInvariant, hex } from './defineInvariant.js';

function badAt(k: Kernel, mm: Mm, a: number): boolean {
  const vm = mm.vm[a];
  if (vm?.mapped && vm.write) return false;
  const pmd = mm.pmd[(a / k.cfg.pt) | 0];
  return mm.pte[a]?.write === true || (pmd?.huge === true && pmd.write);
}

export default defineInvariant({
  name: 'writableOnlyInWritableVma',
  property: 'other',
  description: 'A writable PTE or huge PMD lies in a VMA with VM_WRITE (§2.1, §2.2, §2.15).',
  appliesTo: (cfg) => cfg.tracksVmas,
  holds: (k) => {
    for (const mm of k.mm) for (let a = 0; a < mm.vm.length; a++) if (badAt(k, mm, a)) return false;
    return true;
  },
  explain: (k) => {
    const out: string[] = [];
    k.mm.forEach((mm, m) => {
      mm.vm.forEach((_, a) => {
        if (badAt(k, mm, a)) out.push(`mm${m} maps ${hex(a)} writable, but its VMA has no VM_WRITE`);
      });
    });
    return out;
  },
});
