/**
 * mremap(m,a,n,b): move an aligned range to any free address b.
 */
import { move_vma } from '../mm/mremap/move_vma.js';
import { defineStep, hex, perRange } from './defineStep.js';

export default defineStep({
  name: 'mremap',
  params: ['mm', 'addr', 'nr', 'to'],
  summary: "`move_vma()`: the range's entries move to b (possibly part of a folio, possibly across page tables)",
  needs: { vmas: true },
  instances: (cfg) =>
    perRange(cfg, (mm, addr, nr) => {
      const free: number[] = [];
      for (let to = 0; to + nr <= cfg.va; to++) if (to !== addr) free.push(to);
      return free.map((to) => ({ kind: 'mremap' as const, mm, addr, nr, to }));
    }),
  apply: (k, a) => move_vma(k, a.mm, a.addr, a.nr, a.to),
  format: (a) => `move_vma(mm${a.mm}, ${hex(a.addr)}, ${a.nr} -> ${hex(a.to)})  mremap`,
  whyNot: {
    EFAULT: 'the mm does not exist, the range is not inside one VMA, or the destination is not free or overlaps it',
  },
});
