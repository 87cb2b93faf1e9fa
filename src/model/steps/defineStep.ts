/**
 * The shape of a step: one thing a user or the kernel can do next, written once.
 *
 * A step file says everything the rest of foliocheck needs to know about the step: its name and parameters
 * (how scripts and labels write it), its instances under a configuration in exploration order, the kernel
 * call it makes, that call as a kernel developer writes it in a mail, what each of its error codes means,
 * and which parts of the state it needs. `index.ts` lists the steps; the action type, `--ops`, scripts,
 * traces and the configuration's derived flags are all taken from there (README, "Adding a step").
 */
import type { Bounds, Config } from '../config.js';
import type { Kernel } from '../include/mm_types.js';

/** Why an action did nothing: the kernel's own error codes (the action is then not enabled). */
export type ActionError = 'EFAULT' | 'EEXIST' | 'ENOENT' | 'ENOMEM' | 'EAGAIN' | 'EINVAL' | 'NOP';

/** An action of some step: its step's name and one number per parameter. */
export interface AnyAction {
  readonly kind: string;
}

/** The action of step `K` with parameters `P`: `{ kind: 'zap', mm, addr, nr }`, every parameter a number. */
export type StepAction<K extends string, P extends readonly string[]> = {
  readonly [F in 'kind' | P[number]]: F extends 'kind' ? K : number;
};

/** What a step needs of the state, so the configuration (and the encoding) provides it when it is enabled. */
export interface StepNeeds {
  /** The step maps PMD-sized folios with huge PMDs. */
  readonly hugePmds?: boolean;
  /** The step creates special PTEs (the zero page). */
  readonly specialPtes?: boolean;
  /** The step changes VMA attributes (mapped, VM_WRITE, VM_DONTCOPY, anon_vma, pgoff), or needs them tracked. */
  readonly vmas?: boolean;
  /**
   * The bounds under which the step can ever be enabled: the field that rules it out and what that field
   * must be, or undefined. A user's bounds that enable the step and rule it out are refused (bounds.ts).
   */
  readonly bounds?: (b: Bounds) => BoundNeed | undefined;
}

/** A bound a step needs: `{ field: 'mms', expected: 'at least 2' }`. */
export interface BoundNeed {
  readonly field: keyof Bounds;
  readonly expected: string;
}

/** The need `expected` of `field` when `ok` is false. */
export const need = (ok: boolean, field: keyof Bounds, expected: string): BoundNeed | undefined =>
  ok ? undefined : { field, expected };

/**
 * Another name scripts write the step under, with one word more that tells the steps of that name apart:
 * `pin(m,a,rw)` is pin_rw and `pin(m,a,ro)` is pin. The word is `words[value]`; with `labelled`, the step's
 * label is written this way too.
 */
export interface StepAlias {
  readonly name: string;
  readonly words: readonly string[];
  readonly value: number;
  readonly labelled?: boolean;
}

/** What a step file declares. */
export interface StepDefinition<K extends string, P extends readonly string[]> {
  /** The name of `--ops`, scripts and labels: `zap`. */
  readonly name: K;
  /** The parameters in the order scripts and labels write them: `['mm', 'addr', 'nr']`. */
  readonly params: P;
  /** Parameters written as words in scripts and labels: the value is the word's index (`rw: RO_RW`). */
  readonly words?: { readonly [F in P[number]]?: readonly string[] };
  readonly alias?: StepAlias;
  /** What the step models, in a line (help and README): the kernel call and the user action behind it. */
  readonly summary: string;
  readonly needs?: StepNeeds;
  /** Every instance under `cfg`, in exploration order (the registry puts the steps in order). */
  instances(cfg: Config): StepAction<K, P>[];
  /** The kernel call on `k`, in place: 0, or why the step is not enabled (then `k` must be discarded). */
  apply(k: Kernel, a: StepAction<K, P>): 0 | ActionError;
  /** The kernel call as a kernel developer writes it in a mail; `k` is the state it applies to. */
  format(a: StepAction<K, P>, k?: Kernel): string;
  /** What each error code the kernel call returns means for this step, in words. */
  readonly whyNot: { readonly [E in ActionError]?: string };
}

/** A step as the registry holds it: its definition and its label. */
export interface Step<A extends AnyAction = AnyAction> {
  readonly name: A['kind'];
  readonly params: readonly string[];
  readonly words: { readonly [param: string]: readonly string[] | undefined };
  readonly alias: StepAlias | undefined;
  readonly summary: string;
  readonly needs: StepNeeds;
  instances(cfg: Config): A[];
  apply(k: Kernel, a: A): 0 | ActionError;
  format(a: A, k?: Kernel): string;
  /** The step as scripts and `--json` traces write it: `zap(0,1,1)`, `mprotect(0,0,2,ro)`, `pin(0,1,rw)`. */
  label(a: A): string;
  readonly whyNot: { readonly [E in ActionError]?: string };
}

/** How protections and pin kinds are written: PROT_READ or PROT_READ|PROT_WRITE, FOLL_WRITE or not. */
export const RO_RW: readonly string[] = ['ro', 'rw'];

export function defineStep<const K extends string, const P extends readonly string[]>(
  def: StepDefinition<K, P>,
): Step<StepAction<K, P>> {
  const words: { readonly [param: string]: readonly string[] | undefined } = def.words ?? {};
  const { name, params, alias } = def;
  const written = (a: StepAction<K, P>): string[] =>
    params.map((p) => {
      const v = (a as unknown as Record<string, number>)[p] as number;
      return words[p]?.[v] ?? String(v);
    });
  const label =
    alias?.labelled === true
      ? (a: StepAction<K, P>): string => `${alias.name}(${[...written(a), alias.words[alias.value]].join(',')})`
      : (a: StepAction<K, P>): string => `${name}(${written(a).join(',')})`;
  return Object.freeze({
    name,
    params,
    words,
    alias,
    summary: def.summary,
    needs: def.needs ?? {},
    instances: def.instances,
    apply: def.apply,
    format: def.format,
    label,
    whyNot: def.whyNot,
  });
}

/** An address in a mail: `0x3`. */
export const hex = (n: number): string => `0x${n.toString(16)}`;

/** Words several steps use for the same error. */
export const UNMAPPED = 'the mm does not exist or the address is not mapped';
export const NO_FREE_SLOT = 'no folio slot is free';

/** One instance per mm, in mm order. */
export function perMm<A>(cfg: Config, make: (mm: number) => A): A[] {
  const out: A[] = [];
  for (let mm = 0; mm < cfg.mms; mm++) out.push(make(mm));
  return out;
}

/** One instance per (mm, address), mm before address (docs/bench-core.md "Order of exploration"). */
export function perAddress<A>(cfg: Config, make: (mm: number, addr: number) => A): A[] {
  const out: A[] = [];
  for (let mm = 0; mm < cfg.mms; mm++) for (let addr = 0; addr < cfg.va; addr++) out.push(make(mm, addr));
  return out;
}

/** One instance per (mm, page table), at the table's first address. */
export function perTable<A>(cfg: Config, make: (mm: number, addr: number) => A): A[] {
  const out: A[] = [];
  for (let mm = 0; mm < cfg.mms; mm++) for (let addr = 0; addr < cfg.va; addr += cfg.pt) out.push(make(mm, addr));
  return out;
}

/**
 * Instances per range: per mm, per MADV_DONTNEED size (the powers of two 1..large), per address aligned to
 * it (bench-core's zap: by size, then address); `make` gives the range's instances in order.
 */
export function perRange<A>(cfg: Config, make: (mm: number, addr: number, nr: number) => readonly A[]): A[] {
  const out: A[] = [];
  for (let mm = 0; mm < cfg.mms; mm++) {
    for (const nr of cfg.zapSizes) for (let addr = 0; addr < cfg.va; addr += nr) out.push(...make(mm, addr, nr));
  }
  return out;
}
