/**
 * Outcomes are data: one result type for every way foliocheck runs a model (a breadth-first search, with or
 * without going on past violations, the parallel search, random walks, a scripted run), and the exit status
 * as one pure function of it.
 */
import type { Coverage, CoverageCounts, StepFailure } from './transitionSystem.js';

/** Figures of one run. */
export interface Stats {
  /** Distinct states stored, the initial one included (walks and scripts: states visited). */
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
  /**
   * Searches: distinct states first reached at each breadth-first level (levels[0] is the initial state).
   * A search that ended without a bound expanded every level, so its last level added no state.
   */
  readonly levels?: readonly number[];
  /** Fingerprint mode: TLC's optimistic estimate that two distinct states were merged. */
  readonly collisionProbability?: number;
  /**
   * Parallel searches: states expanded by a worker other than their owner, taken from the owner's part of
   * a level once the taker had expanded its own (work stealing).
   */
  readonly stolen?: number;
}

/** One step of a trace: the action instance's index and its description. */
export interface TraceStep<A> {
  readonly index: number;
  readonly action: A;
}

/** An invariant's shortest counterexample: the steps from the initial state to a state that breaks it. */
export interface Violation<A> {
  readonly invariant: string;
  readonly trace: readonly TraceStep<A>[];
}

/** A step that threw (a kernel warning, a model error): the steps up to and including the one that failed. */
export interface FailedStep<A> extends StepFailure {
  readonly trace: readonly TraceStep<A>[];
}

/** How random walks ran: how many, at most how long, the seed, and the failing walk's unshrunk length. */
export interface Walks {
  /** Walks asked for (fewer ran if one failed). */
  readonly runs: number;
  readonly steps: number;
  readonly seed: number;
  /** Steps of the walk that first failed, before shrinking (0 when none failed). */
  readonly originalLength: number;
}

/** Sums coverage counts by name (the workers of a parallel search). */
export function sumCoverage(parts: readonly CoverageCounts[]): CoverageCounts {
  const steps: Record<string, number> = {};
  const branches: Record<string, number> = {};
  for (const p of parts) {
    for (const [k, n] of Object.entries(p.steps)) steps[k] = (steps[k] ?? 0) + n;
    for (const [k, n] of Object.entries(p.branches)) branches[k] = (branches[k] ?? 0) + n;
  }
  return { steps, branches };
}

export type IncompleteReason = 'depth' | 'states' | 'time' | 'memory' | 'interrupted';

export interface Incomplete {
  readonly reason: IncompleteReason;
  readonly detail: string;
}

/**
 * Why a search ended: every reachable state expanded; stopped at its first violation or failing step;
 * (going on past violations) stopped because every invariant had failed; or a bound (see `incomplete`).
 */
export type Ended = 'exhausted' | 'first-finding' | 'every-invariant-failed' | 'bound';

interface Findings<A> {
  readonly stats: Stats;
  /** Each invariant's first (shortest) counterexample found, in the order of the system's invariants. */
  readonly violations: readonly Violation<A>[];
  /** The first failing step of each kind. */
  readonly failures: readonly FailedStep<A>[];
  /** Set when a bound or an interrupt stopped the run, also when it found something before. */
  readonly incomplete?: Incomplete;
  /** Searches only (walks and scripts do not exhaust anything). */
  readonly ended?: Ended;
  /** Random walks only (simulate.ts). */
  readonly walks?: Walks;
  /** What the run exercised (systems that count it: `TransitionSystem.coverageCounts`). */
  readonly coverage?: Coverage;
  /** Set when the result was compared with expectations (specs, bench): what differs; empty when all met. */
  readonly mismatches?: readonly string[];
}

/**
 * The verdict: `kind` and its fields are the run's headline, the first thing it found in breadth-first order
 * (the same whether or not the search went on past it), else `incomplete` if a bound stopped it, else success.
 */
export type Verdict<A> = Findings<A> &
  (
    | { readonly kind: 'success' }
    | { readonly kind: 'invariant-violated'; readonly invariant: string; readonly trace: readonly TraceStep<A>[] }
    | {
        readonly kind: 'kernel-warning' | 'model-error';
        readonly message: string;
        /** The steps up to and including the one that failed. */
        readonly trace: readonly TraceStep<A>[];
      }
    | { readonly kind: 'incomplete'; readonly incomplete: Incomplete }
  );

/** What a run found, and the headline that comes first (if any). */
export interface VerdictParts<A> extends Findings<A> {
  readonly first?: Violation<A> | FailedStep<A>;
}

/** Builds the verdict from a run's findings: the headline is `first`, else the bound, else success. */
export function verdictOf<A>(p: VerdictParts<A>): Verdict<A> {
  const { first, ...findings } = p;
  if (first !== undefined) {
    return 'invariant' in first
      ? { ...findings, kind: 'invariant-violated', invariant: first.invariant, trace: first.trace }
      : { ...findings, kind: first.kind, message: first.message, trace: first.trace };
  }
  if (findings.incomplete !== undefined) return { ...findings, kind: 'incomplete', incomplete: findings.incomplete };
  return { ...findings, kind: 'success' };
}

/** A verdict compared with expectations: `mismatches` says what differs (empty when every one is met). */
export function withMismatches<A>(
  v: Verdict<A>,
  mismatches: readonly string[],
): Verdict<A> & { readonly mismatches: readonly string[] } {
  // Spreading a union loses its discriminant for the checker, not at run time.
  return { ...v, mismatches } as Verdict<A> & { readonly mismatches: readonly string[] };
}

/** Whether an exception is the engine running out of memory for its own arrays (then: `incomplete`). */
export function isAllocationFailure(e: unknown): e is RangeError {
  return e instanceof RangeError && /allocat|Array buffer|Invalid typed array length/i.test(e.message);
}

/**
 * 0 pass, 1 violation or unmet expectation, 2 bad input (the command line's), 3 incomplete, 5 model error.
 * (4 is kselftest's KSFT_SKIP: `foliocheck kernel` where the kernel cannot be observed.)
 */
export type ExitStatus = 0 | 1 | 3 | 5;

/**
 * Exit status, in the Unix habit CI scripts and `git bisect run` expect: 5 for a model error (an exception,
 * a counter out of range: a bug in foliocheck, never 1), 3 when a bound stopped the run
 * before it found anything; with expectations (specs, bench), 1 when one is unmet, else 0; without, 1 for
 * a violation or failing step, else 0. (2, bad input, is the command line's.) Several results: the worst.
 */
export function exitStatus(v: Verdict<unknown> | readonly Verdict<unknown>[]): ExitStatus {
  if (Array.isArray(v)) return v.reduce<ExitStatus>((s, r) => Math.max(s, exitStatus(r)) as ExitStatus, 0);
  const r = v as Verdict<unknown>;
  // A bug in the model or the checker is never a finding about the kernel, expected or not.
  if (r.kind === 'model-error') return 5;
  if (r.kind === 'incomplete') return 3;
  if (r.mismatches !== undefined) return r.mismatches.length > 0 ? 1 : 0;
  return r.kind === 'success' ? 0 : 1;
}
