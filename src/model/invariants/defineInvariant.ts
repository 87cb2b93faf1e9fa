/**
 * The shape of an invariant: a statement about one state, and the values that break it.
 */
import type { Config } from '../config.js';
import type { Kernel } from '../include/mm_types.js';
import type { Truth } from '../recount/truth.js';
import type { PropertyClass } from './properties.js';

export interface Invariant {
  /** A statement, camelCase: what must hold. */
  readonly name: string;
  /** The class of property it checks: its column in the matrix. */
  readonly property: PropertyClass;
  /** The statement as a kernel developer would sign it, with the kernel source of the rule. */
  readonly description: string;
  /** Whether the invariant applies to a configuration (default: always). */
  readonly appliesTo?: (cfg: Config) => boolean;
  /** Hot path: must not allocate. `t` holds the recount of `k`. */
  readonly holds: (k: Kernel, t: Truth) => boolean;
  /** Slow path, for a violation: the values that break it, one line each. */
  readonly explain: (k: Kernel, t: Truth) => string[];
}

export function defineInvariant(inv: Invariant): Invariant {
  return Object.freeze(inv);
}

export const hex = (n: number): string => `0x${n.toString(16)}`;
