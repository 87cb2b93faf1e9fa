/**
 * VM_WARN_ON_FOLIO and friends: a state the kernel would warn about.
 *
 * The model throws `KernelWarning`; the checker reports it as a `kernel-warning` verdict with the trace that
 * led there, exactly as a kernel developer would want the splat: which rule, on which folio, after which steps.
 */
import type { Folio } from './state/schema.js';

export class KernelWarning extends Error {
  readonly where: string;
  readonly why: string;
  constructor(where: string, why: string) {
    super(`${where}: ${why}`);
    this.name = 'KernelWarning';
    this.where = where;
    this.why = why;
  }
}

/** include/linux/mmdebug.h VM_WARN_ON_FOLIO(): warn (here: stop the run) when `cond` holds. */
export function VM_WARN_ON_FOLIO(cond: boolean, folio: Folio, where: string, why: string): void {
  if (cond) {
    throw new KernelWarning(where, `${why} (nr_pages ${folio.nr_pages}, _refcount ${folio._refcount})`);
  }
}
