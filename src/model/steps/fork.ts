/**
 * fork(m): the child gets every VMA but the MADV_DONTFORK ones, and their page tables.
 */
import { dup_mmap, nextChild } from '../kernel/fork/dup_mmap.js';
import { defineStep, NO_FREE_SLOT, need, perMm } from './defineStep.js';

export default defineStep({
  name: 'fork',
  params: ['mm'],
  summary:
    '`dup_mmap()`: every VMA but MADV_DONTFORK ones; PTE and PMD copy, copies of maybe-pinned pages, swap ' +
    'entries losing the marker',
  needs: { bounds: (b) => need(b.mms >= 2, 'mms', 'at least 2 (the child needs an mm of its own)') },
  instances: (cfg) => perMm(cfg, (mm) => ({ kind: 'fork', mm })),
  apply: (k, a) => dup_mmap(k, a.mm),
  format(a, k) {
    const child = k === undefined ? '?' : String(nextChild(k));
    return `fork()  mm${a.mm} -> mm${child}  dup_mmap`;
  },
  whyNot: {
    EFAULT: 'the mm does not exist',
    EAGAIN: 'every mm already exists (--mms)',
    ENOMEM: `a maybe-pinned page needs a copy and ${NO_FREE_SLOT}`,
  },
});
