/**
 * The model's steps as system calls of the native helper: which call performs each step, which steps the
 * harness refuses and why, and the pins' identities and what they see.
 */
import { type Action, actionLabel } from '../model/actions.js';
import type { Config } from '../model/config.js';
import type { Kernel, Pin } from '../model/include/mm_types.js';
import type { Difference } from './compare.js';
import type { Helper } from './helper.js';

/** A step the kernel harness cannot perform: the step and why (exit 2). */
export class StepRefused extends Error {
  override name = 'StepRefused';
}

/** The system call (or calls) a step is performed by, for reports and the documentation's table. */
export const SYSCALLS: Readonly<Record<Action['kind'], string>> = {
  fault: 'store to the page (write fault on an empty PTE)',
  wp: 'store to the page (write fault on a write-protected PTE)',
  write: "store of the model's new value to the page",
  read: 'load from the page',
  zap: 'madvise(MADV_DONTNEED)',
  munmap: 'munmap()',
  mremap: 'mremap(MREMAP_MAYMOVE | MREMAP_FIXED)',
  mprotect: 'mprotect(PROT_READ | PROT_WRITE or PROT_READ)',
  dontfork: 'madvise(MADV_DONTFORK)',
  dofork: 'madvise(MADV_DOFORK)',
  pageout: 'madvise(MADV_PAGEOUT) with a swap file enabled for the run',
  cold: 'madvise(MADV_COLD)',
  fork: "fork() of the mm's process",
  exit: "_exit() of the mm's process",
  pin_rw: 'io_uring_setup() + io_uring_register(IORING_REGISTER_BUFFERS): FOLL_WRITE | FOLL_PIN | FOLL_LONGTERM',
  unpin: "io_uring_register(IORING_UNREGISTER_BUFFERS) + close() of the pin's ring",
  get: 'vmsplice() of the page into a pipe (FOLL_GET), whose read end the controller keeps',
  put: "close() of the reference's pipe (its last close releases the page: put_page())",
  pin: 'refused: no R/O long-term FOLL_PIN from user space',
  thp: 'a store with the PMD size enabled (madvise) for that one fault; --pt 512 only',
  split_pmd:
    'mprotect(PROT_READ) then mprotect(PROT_READ | PROT_WRITE) of the one page: a partial mprotect() splits the PMD',
  split_folio: 'refused: no user-space step splits one given folio',
  reclaim: 'refused: no user-space step reclaims a folio from every mm that maps it (MADV_PAGEOUT is pageout)',
};

/** Why the harness cannot perform `a`, or undefined. */
export function refusal(a: Action, cfg: Config): string | undefined {
  switch (a.kind) {
    case 'pin':
      return (
        'a R/O long-term pin has no user-space equivalent on this kernel: io_uring fixed buffers pin R/W, ' +
        'GUP_TEST is not configured, and vmsplice() takes a plain FOLL_GET reference, which is the ' +
        "model's get(m,a), not pin(m,a,ro) (docs/kernel-conformance.md)"
      );
    case 'thp':
    case 'split_pmd':
      if (cfg.pt === 512) return undefined;
      return (
        `a real PMD THP is 512 pages, the model's PMD-sized folio --pt ${cfg.pt} pages: replay with ` +
        '--pt 512 (the kernel\'s geometry; docs/kernel-conformance.md, "Model gaps")'
      );
    case 'split_folio':
      return 'no system call splits one given folio (only debugfs split_huge_pages, which is not a process step)';
    case 'reclaim':
      return (
        'memory-pressure reclaim of a folio from every mm that maps it is not a process step; MADV_PAGEOUT, ' +
        "which leaves folios mapped shared alone, is the model's pageout"
      );
    default:
      return undefined;
  }
}

/**
 * The helper's pin and reference ids by what the model's entry holds: its page (folio slot, page) and
 * whether it is a FOLL_GET reference. A pinned page's folio keeps its slot (it cannot be freed or split
 * while pinned), so the key survives mremap, zap and exit, and two entries at one (mm, address), one of
 * them detached by a zap, stay apart (found by `kernel --random`: `pin(0,0,rw); zap(0,0,1); fault(0,0);
 * get(0,0)`). Entries on the same page are interchangeable: they read the same content.
 */
export class PinIds {
  private readonly ids = new Map<string, number[]>();
  private next = 0;
  private static key(folio: number, page: number, get: boolean): string {
    return `${folio}:${page}:${get ? 'get' : 'pin'}`;
  }
  /** A new id for an entry on the page mm `m` maps at `addr` in `k` (the state after the step). */
  add(k: Kernel, m: number, addr: number, get: boolean): number {
    const [folio, page] = mappedPage(k, m, addr);
    const id = this.next++;
    const key = PinIds.key(folio, page, get);
    this.ids.set(key, [...(this.ids.get(key) ?? []), id]);
    return id;
  }
  /** The id of one entry like `pin`, which goes. */
  remove(pin: Pin | undefined): number {
    if (pin === undefined) return -1;
    const key = PinIds.key(pin.folio, pin.page, pin.get);
    const list = this.ids.get(key) ?? [];
    const id = list.pop() ?? -1;
    if (list.length === 0) this.ids.delete(key);
    return id;
  }
  /** The helper's id of an entry like `pin`. */
  id(pin: Pin): number | undefined {
    return this.ids.get(PinIds.key(pin.folio, pin.page, pin.get))?.[0];
  }
}

/** The (folio slot, page) mm `m` maps at `addr`: its PTE's, or under a huge PMD the PMD-mapped folio's. */
function mappedPage(k: Kernel, m: number, addr: number): [number, number] {
  const mm = k.mm[m];
  const pmd = mm?.pmd[(addr / k.cfg.pt) | 0];
  if (pmd?.huge === true) return [pmd.folio, addr % k.cfg.pt];
  const pte = mm?.pte[addr];
  return [pte?.folio ?? -1, pte?.page ?? -1];
}

/**
 * What each pin sees: the pinned page's first word, read through the pin itself (io_uring WRITE_FIXED from
 * the registered buffer), against the content of the page the model's pin holds (`pinSeesOwnersPage`'s
 * premise: the pin and the model agree on which page it holds).
 */
export async function comparePins(h: Helper, k: Kernel, pins: PinIds): Promise<Difference[]> {
  const out: Difference[] = [];
  if (!k.cfg.data) return out;
  for (const [i, pin] of k.pin.entries()) {
    if (!pin.live || pin.get) continue;
    const id = pins.id(pin);
    const model = k.folio[pin.folio]?.pages[pin.page]?.data ?? 0;
    const seen = ((await h.call(`pinread ${id ?? -1}`)) as { value: number }).value;
    if (seen !== model)
      out.push({
        what: `pin ${i} (mm${pin.mm} page ${pin.addr}): model's pinned page holds ${model}, the kernel's pin reads ${seen}`,
      });
  }
  return out;
}

/** Performs one model step on the kernel. `before` and `after` are the model's states around it. */
export async function perform(
  h: Helper,
  a: Action,
  before: Kernel,
  after: Kernel,
  pins: PinIds,
  pmdSize: (on: boolean) => void = () => {},
): Promise<void> {
  switch (a.kind) {
    case 'fault':
    case 'wp':
    case 'write':
      await h.call(`write ${a.mm} ${a.addr} ${after.mm[a.mm]?.expect[a.addr] ?? 0}`);
      return;
    case 'read':
      await h.call(`read ${a.mm} ${a.addr}`);
      return;
    case 'zap':
    case 'munmap':
    case 'pageout':
    case 'cold':
    case 'dontfork':
    case 'dofork':
      await h.call(`${a.kind} ${a.mm} ${a.addr} ${a.nr}`);
      return;
    case 'mprotect':
      await h.call(`mprotect ${a.mm} ${a.addr} ${a.nr} ${a.rw}`);
      return;
    case 'mremap':
      await h.call(`mremap ${a.mm} ${a.addr} ${a.nr} ${a.to}`);
      return;
    case 'fork': {
      const child = after.mm.findIndex((mm, i) => mm.live && !(before.mm[i]?.live ?? false));
      await h.call(`fork ${a.mm} ${child}`);
      return;
    }
    case 'exit':
      await h.call(`exit ${a.mm}`);
      return;
    case 'pin_rw':
      await h.call(`pin ${a.mm} ${a.addr} ${pins.add(after, a.mm, a.addr, false)}`);
      return;
    case 'unpin': {
      await h.call(`unpin ${pins.remove(before.pin[a.pin])}`);
      return;
    }
    case 'get':
      await h.call(`get ${a.mm} ${a.addr} ${pins.add(after, a.mm, a.addr, true)}`);
      return;
    case 'put': {
      await h.call(`put ${pins.remove(before.pin[a.pin])}`);
      return;
    }
    case 'thp':
      pmdSize(true);
      try {
        await h.call(`write ${a.mm} ${a.addr} ${after.mm[a.mm]?.expect[a.addr] ?? 0}`);
      } finally {
        pmdSize(false);
      }
      return;
    case 'split_pmd':
      // The kernel splits a PMD that an mprotect() covers in part; the second call restores the protection
      // (a PTE of an exclusive page becomes writable again, as the split left it).
      await h.call(`mprotect ${a.mm} ${a.addr} 1 0`);
      await h.call(`mprotect ${a.mm} ${a.addr} 1 1`);
      return;
    case 'pin':
    case 'split_folio':
    case 'reclaim':
      throw new StepRefused(`${actionLabel(a)}: not performed by the kernel harness`);
    default: {
      const never: never = a;
      return never;
    }
  }
}
