/**
 * VMAs laid out by hand for the unit tests of mm/vma.c's decisions (anon_vma_prepare(), vma_merge()): each
 * case sets the neighbours' flags, anon_vma and pgoff directly instead of reaching them through steps.
 */
import type { Mm, Vm } from '../src/model/include/mm_types.js';

/** A VMA over [start, end): its flags, anon_vma and first pgoff (the pgoff of the others follow). */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly write?: boolean;
  readonly dontcopy?: boolean;
  readonly account?: boolean;
  readonly anon_vma?: number;
  readonly fork_child?: boolean;
  readonly pgoff?: number;
}

/** Makes `mm`'s pages exactly the spans given (writable, accounted, no anon_vma, pgoff = address by default). */
export function layVmas(mm: Mm, ...spans: Span[]): Mm {
  for (const vm of mm.vm as Vm[]) Object.assign(vm, { mapped: false, write: false, dontcopy: false, account: false });
  for (const s of spans) {
    for (let a = s.start; a < s.end; a++) {
      Object.assign(mm.vm[a] as Vm, {
        mapped: true,
        write: s.write ?? true,
        dontcopy: s.dontcopy ?? false,
        account: s.account ?? true,
        anon_vma: s.anon_vma ?? 0,
        fork_child: s.fork_child ?? false,
        pgoff: (s.pgoff ?? s.start) + (a - s.start),
      });
    }
  }
  return mm;
}
