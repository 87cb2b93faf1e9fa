/**
 * What the engine needs from a model: states as fixed-width words, actions as indices.
 *
 * The engine never sees a state object. A system decodes a state into its own working representation
 * (`load`), applies one action instance to a copy (`successor`), and writes the canonical encoding of the
 * result. This keeps the search free of per-transition allocation whatever the model looks like inside.
 */

/**
 * What a run exercised, as the model names it: per step kind, the transitions that took it (a search:
 * each explored transition once; walks and scripts: each executed step); per named decision branch of the
 * model, the times it was taken; and what never fired though it could (enabled step kinds, branches
 * reachable under the bounds and rules).
 */
export interface Coverage {
  readonly steps: Readonly<Record<string, number>>;
  readonly branches: Readonly<Record<string, number>>;
  readonly unfired: { readonly steps: readonly string[]; readonly branches: readonly string[] };
}

/** Raw coverage counts of one thread (parallel workers' are summed by name). */
export type CoverageCounts = Pick<Coverage, 'steps' | 'branches'>;

/** How a system classifies an exception thrown by one of its steps. */
export interface StepFailure {
  readonly kind: 'kernel-warning' | 'model-error';
  readonly message: string;
}

export interface TransitionSystem<A> {
  /** Shown in results. */
  readonly name: string;
  /** 32-bit words of one encoded state; encodings are canonical, so equal words mean one state. */
  readonly stateWords: number;
  /** Action instances are 0 .. actionCount-1, tried in this order (it fixes which shortest trace is found). */
  readonly actionCount: number;
  /** Invariant names, indexed as `check` reports them. */
  readonly invariantNames: readonly string[];
  /** Writes the initial state's encoding to `out[at..]`. */
  writeInitial(out: Uint32Array, at: number): void;
  /** Makes the state encoded at `src[at..]` the base of the following `successor` calls. */
  load(src: Uint32Array, at: number): void;
  /**
   * Applies action `i` to (a copy of) the loaded state. If the action is enabled, writes the successor's
   * encoding to `out[at..]` and returns true; the successor is then the current state for `check`.
   */
  successor(i: number, out: Uint32Array, at: number): boolean;
  /** Checks every invariant on the current state (the loaded one, or the last successor): -1 if all hold. */
  check(): number;
  /**
   * Checks every invariant on the current state and marks each that fails in `out` (1 = violated): the
   * check of a search that goes on past the first violation (`continue`). Returns how many failed.
   */
  violations(out: Uint8Array): number;
  /** Optional: gathers the model's own figures about the current state (called once per distinct state). */
  observe?(): void;
  /**
   * Optional coverage: `resetCoverage` zeroes the counters (the driver calls it once the initial state is
   * set up); `coverageCounts` reads this thread's; `coverageOf` words counts (summed over workers) as the
   * result's coverage, with what never fired.
   */
  resetCoverage?(): void;
  coverageCounts?(): CoverageCounts;
  /** Optional: the counters a checkpoint carries (coverage, figures), as plain data, and their restoring. */
  saveCounters?(): unknown;
  loadCounters?(saved: unknown): void;
  coverageOf?(counts: CoverageCounts): Coverage;
  /** The action instance `i`, for traces. */
  describe(i: number): A;
  /**
   * Optional: a path of stored action indices as steps from the concrete initial state, for a system that
   * stores one representative per class of states (symmetry reduction); the identity otherwise. `invariant`:
   * the invariant the path's last state violates, undefined when the path's last step fails.
   */
  concretePath?(path: readonly number[], invariant?: number): readonly number[];
  /** Classifies an exception thrown by `successor` (a kernel warning, a model bug). */
  classify(e: unknown): StepFailure;
}
