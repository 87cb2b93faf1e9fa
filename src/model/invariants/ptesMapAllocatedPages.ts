/**
 * Every present PTE maps a page of an allocated folio (bench-core `ptes-valid`): no PTE points at freed
 * memory (kernel: a use-after-free; print_bad_pte() / bad_page()). An mm that does not exist maps nothing:
 * exit_mmap() left no entry and no VMA behind (and the state encoding relies on it).
 */
import type { Kernel, Mm, Pmd, Pte } from '../include/mm_types.js';
import { defineInvariant, hex } from './defineInvariant.js';

function pteOk(k: Kernel, mm: Mm, pte: Pte): boolean {
  if (!mm.live) return !pte.present && !pte.zero && !pte.swp;
  if (!pte.present) return true;
  const folio = k.folio[pte.folio];
  return folio?.used === true && pte.page < folio.nr_pages;
}

/** A huge PMD maps a whole allocated PMD-sized folio, and its PTE table holds nothing (I12). */
function pmdOk(k: Kernel, mm: Mm, pmd: Pmd, t: number): boolean {
  if (!mm.live) return false;
  const folio = k.folio[pmd.folio];
  if (folio?.used !== true || folio.nr_pages !== k.cfg.pt) return false;
  for (let a = t * k.cfg.pt; a < (t + 1) * k.cfg.pt; a++) {
    const pte = mm.pte[a] as Pte;
    if (pte.present || pte.zero || pte.swp) return false;
  }
  return true;
}

export default defineInvariant({
  name: 'ptesMapAllocatedPages',
  property: 'uaf',
  description:
    'Every present PTE maps a page of an allocated folio, and an mm that does not exist maps nothing ' +
    '(bench-core ptes-valid).',
  holds: (k) => {
    for (const mm of k.mm) {
      for (const pte of mm.pte) if (!pteOk(k, mm, pte)) return false;
      for (let t = 0; t < mm.pmd.length; t++) {
        const pmd = mm.pmd[t] as Pmd;
        if (pmd.huge && !pmdOk(k, mm, pmd, t)) return false;
      }
      if (!mm.live) for (const vm of mm.vm) if (vm.mapped) return false;
    }
    return true;
  },
  explain: (k) => {
    const out: string[] = [];
    k.mm.forEach((mm, m) => {
      mm.pte.forEach((pte, a) => {
        if (pteOk(k, mm, pte)) return;
        out.push(
          mm.live
            ? `mm${m} PTE ${hex(a)} maps folio ${pte.folio} page ${pte.page}, which is not allocated`
            : `mm${m} does not exist but its PTE ${hex(a)} is not none`,
        );
      });
      if (!mm.live && mm.vm.some((vm) => vm.mapped)) out.push(`mm${m} does not exist but still has a VMA`);
      mm.pmd.forEach((pmd, t) => {
        if (!pmd.huge || pmdOk(k, mm, pmd, t)) return;
        const folio = k.folio[pmd.folio];
        out.push(
          mm.live && folio?.used === true && folio.nr_pages === k.cfg.pt
            ? `mm${m} huge PMD ${t} maps folio ${pmd.folio}, but PTEs remain under it`
            : `mm${m} huge PMD ${t} maps folio ${pmd.folio}, not a whole allocated PMD-sized folio`,
        );
      });
    });
    return out;
  },
});
