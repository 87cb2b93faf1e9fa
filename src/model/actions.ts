/**
 * The model's steps: what a user or the kernel can do next, with every parameter spelled out.
 *
 * An action is deterministic and carries all its parameters, so a trace is a list of actions that replays
 * from the initial state. `applyAction` is the one entry point to the kernel rules: the exhaustive search,
 * the random explorer and the trace printer all call it.
 */
import type { Config } from './config.js';
import type { Kernel } from './include/mm_types.js';
import { dup_mmap, next_child } from './kernel/fork/dup_mmap.js';
import { pin_user_pages } from './mm/gup/pin_user_pages.js';
import { unpin_user_page } from './mm/gup/unpin_user_page.js';
import { __split_huge_pmd } from './mm/huge_memory/__split_huge_pmd.js';
import { do_huge_pmd_anonymous_page } from './mm/huge_memory/do_huge_pmd_anonymous_page.js';
import { split_huge_page } from './mm/huge_memory/split_huge_page.js';
import { madvise_dontfork } from './mm/madvise/madvise_vma_behavior.js';
import { store_fresh_value, user_read, user_write } from './mm/memory/access.js';
import { do_anonymous_page } from './mm/memory/do_anonymous_page.js';
import { do_wp_page } from './mm/memory/do_wp_page.js';
import { zap_pte_range } from './mm/memory/zap_pte_range.js';
import { do_vmi_munmap } from './mm/mmap/do_vmi_munmap.js';
import { exit_mmap } from './mm/mmap/exit_mmap.js';
import { mprotect_fixup } from './mm/mprotect/mprotect_fixup.js';
import { move_vma } from './mm/mremap/move_vma.js';
import { shrink_folio_list } from './mm/vmscan/shrink_folio_list.js';

export type Action =
  | { readonly kind: 'fault'; readonly mm: number; readonly addr: number }
  | {
      readonly kind: 'zap';
      readonly mm: number;
      readonly addr: number;
      readonly nr: number;
    }
  | { readonly kind: 'fork'; readonly mm: number }
  | { readonly kind: 'wp'; readonly mm: number; readonly addr: number }
  | { readonly kind: 'pin'; readonly mm: number; readonly addr: number }
  | { readonly kind: 'pin_rw'; readonly mm: number; readonly addr: number }
  | { readonly kind: 'unpin'; readonly pin: number }
  | { readonly kind: 'write'; readonly mm: number; readonly addr: number }
  | { readonly kind: 'read'; readonly mm: number; readonly addr: number }
  | { readonly kind: 'exit'; readonly mm: number }
  | { readonly kind: 'munmap'; readonly mm: number; readonly addr: number; readonly nr: number }
  | { readonly kind: 'mprotect'; readonly mm: number; readonly addr: number; readonly nr: number; readonly rw: 0 | 1 }
  | { readonly kind: 'dontfork'; readonly mm: number; readonly addr: number; readonly nr: number }
  | { readonly kind: 'dofork'; readonly mm: number; readonly addr: number; readonly nr: number }
  | { readonly kind: 'mremap'; readonly mm: number; readonly addr: number; readonly nr: number; readonly to: number }
  | { readonly kind: 'thp'; readonly mm: number; readonly addr: number }
  | { readonly kind: 'split_pmd'; readonly mm: number; readonly addr: number }
  | { readonly kind: 'split_folio'; readonly mm: number; readonly addr: number }
  | { readonly kind: 'pageout'; readonly mm: number; readonly addr: number; readonly nr: number };

/** Why an action did nothing: the kernel's own error codes (the action is then not enabled). */
export type ActionError = 'EFAULT' | 'EEXIST' | 'ENOENT' | 'ENOMEM' | 'EAGAIN' | 'EINVAL' | 'NOP';

/**
 * Every action instance of a configuration, in bench-core's order of exploration (core-model.md "Order of
 * exploration"): fault, zap, fork, wp, pin, unpin; within one, m before a, and zap by size, then address.
 */
export function enumerateActions(cfg: Config): Action[] {
  const out: Action[] = [];
  const { mms, va } = cfg;
  if (cfg.has('fault')) {
    for (let mm = 0; mm < mms; mm++) for (let addr = 0; addr < va; addr++) out.push({ kind: 'fault', mm, addr });
  }
  if (cfg.has('zap')) {
    for (let mm = 0; mm < mms; mm++) {
      for (const nr of cfg.zapSizes) {
        for (let addr = 0; addr < va; addr += nr) out.push({ kind: 'zap', mm, addr, nr });
      }
    }
  }
  if (cfg.has('fork')) for (let mm = 0; mm < mms; mm++) out.push({ kind: 'fork', mm });
  if (cfg.has('wp')) {
    for (let mm = 0; mm < mms; mm++) for (let addr = 0; addr < va; addr++) out.push({ kind: 'wp', mm, addr });
  }
  if (cfg.has('pin')) {
    for (let mm = 0; mm < mms; mm++) for (let addr = 0; addr < va; addr++) out.push({ kind: 'pin', mm, addr });
  }
  if (cfg.has('unpin')) for (let pin = 0; pin < cfg.pins; pin++) out.push({ kind: 'unpin', pin });
  // The whole model's steps follow bench-core's, so bench-core's order is unchanged.
  for (const kind of ['write', 'read'] as const) {
    if (!cfg.has(kind)) continue;
    for (let mm = 0; mm < mms; mm++) for (let addr = 0; addr < va; addr++) out.push({ kind, mm, addr });
  }
  if (cfg.has('exit')) for (let mm = 0; mm < mms; mm++) out.push({ kind: 'exit', mm });
  // Range operations take the MADV_DONTNEED sizes, aligned; mremap may move a range to any free address.
  const ranges = (each: (mm: number, addr: number, nr: number) => void): void => {
    for (let mm = 0; mm < mms; mm++) {
      for (const nr of cfg.zapSizes) for (let addr = 0; addr < va; addr += nr) each(mm, addr, nr);
    }
  };
  if (cfg.has('munmap')) ranges((mm, addr, nr) => out.push({ kind: 'munmap', mm, addr, nr }));
  if (cfg.has('pageout')) ranges((mm, addr, nr) => out.push({ kind: 'pageout', mm, addr, nr }));
  if (cfg.has('mprotect')) {
    ranges((mm, addr, nr) => {
      out.push({ kind: 'mprotect', mm, addr, nr, rw: 0 }, { kind: 'mprotect', mm, addr, nr, rw: 1 });
    });
  }
  if (cfg.has('dontfork')) ranges((mm, addr, nr) => out.push({ kind: 'dontfork', mm, addr, nr }));
  if (cfg.has('dofork')) ranges((mm, addr, nr) => out.push({ kind: 'dofork', mm, addr, nr }));
  if (cfg.has('mremap')) {
    ranges((mm, addr, nr) => {
      for (let to = 0; to + nr <= va; to++) if (to !== addr) out.push({ kind: 'mremap', mm, addr, nr, to });
    });
  }
  for (const kind of ['thp', 'split_folio', 'pin_rw'] as const) {
    if (!cfg.has(kind)) continue;
    for (let mm = 0; mm < mms; mm++) for (let addr = 0; addr < va; addr++) out.push({ kind, mm, addr });
  }
  if (cfg.has('split_pmd')) {
    for (let mm = 0; mm < mms; mm++)
      for (let addr = 0; addr < va; addr += cfg.pt) out.push({ kind: 'split_pmd', mm, addr });
  }
  return out;
}

/** Applies `a` to `k` in place. Returns 0, or why the action is not enabled (then `k` must be discarded). */
export function applyAction(k: Kernel, a: Action): 0 | ActionError {
  switch (a.kind) {
    case 'fault':
      return stored(k, a.mm, a.addr, do_anonymous_page(k, a.mm, a.addr));
    case 'zap':
      return zap_pte_range(k, a.mm, a.addr, a.nr);
    case 'fork':
      return dup_mmap(k, a.mm);
    case 'wp':
      return stored(k, a.mm, a.addr, do_wp_page(k, a.mm, a.addr, 'write'));
    case 'pin':
      return pin_user_pages(k, a.mm, a.addr);
    case 'pin_rw':
      return pin_user_pages(k, a.mm, a.addr, true);
    case 'unpin':
      return unpin_user_page(k, a.pin);
    case 'write':
      return user_write(k, a.mm, a.addr);
    case 'read':
      return user_read(k, a.mm, a.addr);
    case 'exit':
      return exit_mmap(k, a.mm);
    case 'munmap':
      return do_vmi_munmap(k, a.mm, a.addr, a.nr);
    case 'mprotect':
      return mprotect_fixup(k, a.mm, a.addr, a.nr, a.rw === 1);
    case 'dontfork':
      return madvise_dontfork(k, a.mm, a.addr, a.nr, true);
    case 'dofork':
      return madvise_dontfork(k, a.mm, a.addr, a.nr, false);
    case 'mremap':
      return move_vma(k, a.mm, a.addr, a.nr, a.to);
    case 'thp':
      return stored(k, a.mm, a.addr, do_huge_pmd_anonymous_page(k, a.mm, a.addr));
    case 'split_pmd':
      return __split_huge_pmd(k, a.mm, a.addr);
    case 'split_folio':
      return split_huge_page(k, a.mm, a.addr);
    case 'pageout':
      return shrink_folio_list(k, a.mm, a.addr, a.nr);
    default: {
      const never: never = a;
      return never;
    }
  }
}

/** `fault` and `wp` are write faults: once the fault is handled, the store that caused it completes. */
function stored<R extends 0 | ActionError>(k: Kernel, m: number, addr: number, ret: R): R {
  if (ret === 0) store_fresh_value(k, m, addr);
  return ret;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/**
 * The action as the kernel call it models, as a kernel developer would write it in a mail. `k` is the
 * state the action applies to (it names the fork child and the pinned address).
 */
export function formatAction(a: Action, k?: Kernel): string {
  switch (a.kind) {
    case 'fault':
      return `do_anonymous_page(mm${a.mm}, ${hex(a.addr)})  write fault on an empty PTE`;
    case 'zap':
      return `zap_pte_range(mm${a.mm}, ${hex(a.addr)}, ${a.nr})  MADV_DONTNEED`;
    case 'fork': {
      const child = k === undefined ? '?' : String(next_child(k));
      return `fork()  mm${a.mm} -> mm${child}  dup_mmap`;
    }
    case 'wp':
      return `do_wp_page(mm${a.mm}, ${hex(a.addr)})  write fault on a write-protected PTE`;
    case 'pin':
      return `pin_user_pages(mm${a.mm}, ${hex(a.addr)}, FOLL_LONGTERM)  R/O pin`;
    case 'pin_rw':
      return `pin_user_pages(mm${a.mm}, ${hex(a.addr)}, FOLL_LONGTERM | FOLL_WRITE)  R/W pin`;
    case 'unpin': {
      const pin = k?.pin[a.pin];
      const where = pin?.live ? ` of mm${pin.mm} ${hex(pin.addr)}` : '';
      return `unpin_user_page(pin ${a.pin}${where})`;
    }
    case 'write':
      return `write(mm${a.mm}, ${hex(a.addr)})  user store: handle_mm_fault(FAULT_FLAG_WRITE) if needed`;
    case 'read':
      return `read(mm${a.mm}, ${hex(a.addr)})  user load: handle_mm_fault() if needed`;
    case 'exit':
      return `exit_mmap(mm${a.mm})  the process exits`;
    case 'munmap':
      return `do_vmi_munmap(mm${a.mm}, ${hex(a.addr)}, ${a.nr})  munmap`;
    case 'mprotect':
      return `mprotect_fixup(mm${a.mm}, ${hex(a.addr)}, ${a.nr}, ${a.rw ? 'PROT_READ|PROT_WRITE' : 'PROT_READ'})`;
    case 'dontfork':
      return `madvise(mm${a.mm}, ${hex(a.addr)}, ${a.nr}, MADV_DONTFORK)`;
    case 'dofork':
      return `madvise(mm${a.mm}, ${hex(a.addr)}, ${a.nr}, MADV_DOFORK)`;
    case 'mremap':
      return `move_vma(mm${a.mm}, ${hex(a.addr)}, ${a.nr} -> ${hex(a.to)})  mremap`;
    case 'thp':
      return `do_huge_pmd_anonymous_page(mm${a.mm}, ${hex(a.addr)})  write fault maps a PMD-sized folio`;
    case 'split_pmd':
      return `__split_huge_pmd(mm${a.mm}, ${hex(a.addr)})`;
    case 'split_folio':
      return `split_huge_page(folio at mm${a.mm} ${hex(a.addr)})`;
    case 'pageout':
      return `shrink_folio_list(mm${a.mm}, ${hex(a.addr)}, ${a.nr})  MADV_PAGEOUT / reclaim`;
    default: {
      const never: never = a;
      return never;
    }
  }
}

/** The action's name and parameters, as in `--json` traces and scripts: `zap(0,1,1)`. */
export function actionLabel(a: Action): string {
  switch (a.kind) {
    case 'zap':
      return `zap(${a.mm},${a.addr},${a.nr})`;
    case 'fork':
      return `fork(${a.mm})`;
    case 'unpin':
      return `unpin(${a.pin})`;
    case 'exit':
      return `exit(${a.mm})`;
    case 'munmap':
    case 'dontfork':
    case 'dofork':
    case 'pageout':
      return `${a.kind}(${a.mm},${a.addr},${a.nr})`;
    case 'mprotect':
      return `mprotect(${a.mm},${a.addr},${a.nr},${a.rw ? 'rw' : 'ro'})`;
    case 'mremap':
      return `mremap(${a.mm},${a.addr},${a.nr},${a.to})`;
    case 'thp':
    case 'split_pmd':
    case 'split_folio':
      return `${a.kind}(${a.mm},${a.addr})`;
    case 'pin_rw':
      return `pin(${a.mm},${a.addr},rw)`;
    default:
      return `${a.kind}(${a.mm},${a.addr})`;
  }
}
