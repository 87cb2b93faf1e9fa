/**
 * Outcomes are data: what a search found, with its figures and, where one exists, the shortest trace.
 */

/** Figures of one search. */
export interface Stats {
  /** Distinct states stored, the initial one included. */
  readonly states: number;
  /** Enabled (action, parameters) pairs applied to stored states, duplicates included. */
  readonly edges: number;
  /** Deepest breadth-first level reached (the initial state is level 0). */
  readonly depth: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
  /** Peak resident set size of the process, in bytes. */
  readonly peakRssBytes: number;
  readonly store: 'exact' | 'fingerprint';
  /** Fingerprint mode: TLC's optimistic estimate that two distinct states were merged. */
  readonly collisionProbability?: number;
}

/** One step of a trace: the action instance's index and its description. */
export interface TraceStep<A> {
  readonly index: number;
  readonly action: A;
}

export type IncompleteReason = 'depth' | 'states' | 'time' | 'memory' | 'interrupted';

export type Verdict<A> =
  | { readonly kind: 'success'; readonly stats: Stats }
  | {
      readonly kind: 'invariant-violated';
      readonly invariant: string;
      readonly trace: readonly TraceStep<A>[];
      readonly stats: Stats;
    }
  | {
      readonly kind: 'kernel-warning' | 'model-error';
      readonly message: string;
      /** The steps up to and including the one that failed. */
      readonly trace: readonly TraceStep<A>[];
      readonly stats: Stats;
    }
  | {
      readonly kind: 'incomplete';
      readonly reason: IncompleteReason;
      readonly detail: string;
      readonly stats: Stats;
    };

/** Whether an exception is the engine running out of memory for its own arrays (then: `incomplete`). */
export function isAllocationFailure(e: unknown): e is RangeError {
  return e instanceof RangeError && /allocat|Array buffer|Invalid typed array length/i.test(e.message);
}

/** Exit status, in the Unix habit CI scripts and `git bisect run` expect. */
export function exitStatus(v: Verdict<unknown>): 0 | 1 | 3 {
  switch (v.kind) {
    case 'success':
      return 0;
    case 'invariant-violated':
    case 'kernel-warning':
    case 'model-error':
      return 1;
    case 'incomplete':
      return 3;
    default: {
      const never: never = v;
      return never;
    }
  }
}
