/**
 * The matrix: every kernel era x AnonExclusive granularity x mapcount scheme, over a standard set of
 * operation mixes (mixes.ts), and for each property the shortest counterexample or "holds within the bounds".
 *
 * One search that goes on past violations (checker/explore.ts with `continue`) per (era, granularity, mix)
 * keeps all five schemes side by side: a scheme never changes a kernel decision (the one the kernel makes
 * itself, 6.15's MM-ID reuse, is there in every 6.15 run), so each scheme's desync is found exactly as it
 * would be alone, and the kernel properties are shared by the five rows of one era and granularity.
 */
import type { Coverage, StepFailure } from './checker/transitionSystem.js';
import type { Incomplete, Stats, TraceStep, Verdict } from './checker/verdict.js';
import { type MatrixTask, type PoolOptions, searchAll } from './matrixSearch.js';
import {
  MIXES,
  type Mix,
  POLICIES,
  type Policy,
  PROPERTIES,
  policyKey,
  type SymmetryChoice,
  symmetricMix,
} from './mixes.js';
import type { Action } from './model/actions.js';
import { eraRules } from './model/eras.js';
import { SCHEMES } from './model/mapcount/index.js';
import { schemeFilesOf } from './schemeFile.js';

export { mixSystem } from './matrixSearch.js';
export {
  DECIDER_POLICIES,
  MIXES,
  type Mix,
  POLICIES,
  type Policy,
  PROPERTIES,
  type Property,
  policyKey,
  type SymmetryChoice,
  symmetricMix,
} from './mixes.js';

/** A shortest counterexample: which mix, which invariant (or which step failed, how), and the steps. */
export interface Finding {
  readonly mix: string;
  readonly what: { readonly invariant: string } | StepFailure;
  readonly trace: readonly TraceStep<Action>[];
}

/** The invariant a finding breaks, or the failing step's kind and the first line of its message. */
export function findingName(f: Finding): string {
  return 'invariant' in f.what ? f.what.invariant : `${f.what.kind}: ${f.what.message.split('\n')[0]}`;
}

/** One cell: the shortest finding over the mixes, or why there is none. */
export type Cell =
  | { readonly kind: 'fails'; readonly finding: Finding }
  | { readonly kind: 'holds' }
  /** Nothing found, but some mix was not run to its bounds (interrupted, or a time or memory bound). */
  | { readonly kind: 'not-covered' }
  | { readonly kind: 'n/a' };

export interface MatrixRow {
  readonly policy: Policy;
  readonly scheme: string;
  readonly cells: Readonly<Record<string, Cell>>;
}

export interface MixRun {
  readonly policy: Policy;
  readonly mix: string;
  readonly states: number;
  readonly seconds: number;
  /** Why the run stopped: depth bound reached, state space exhausted, every invariant failed, or a bound. */
  readonly ended: string;
  /** Whether the run covered what its mix promises (depth bound, or exhausted); false if a time/memory/
   * interrupt bound cut it short, in which case "holds" in its cells means less. */
  readonly covered: boolean;
  /** The bound that stopped the run, if one did. */
  readonly incomplete?: Incomplete;
  readonly stats: Stats;
  /** The schemes' own counters over this run's states (mm-id's imprecision), by scheme. */
  readonly schemeCounts: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** What the run exercised: steps fired, branches taken, and the reachable ones that never were. */
  readonly coverage?: Coverage;
}

export interface Matrix {
  readonly rows: readonly MatrixRow[];
  readonly runs: readonly MixRun[];
  /** Per policy, the schemes' own figures (mm-id's imprecision), summed over the mixes. */
  readonly schemeFigures: ReadonlyMap<string, ReadonlyMap<string, Map<string, number>>>;
  readonly mixes: readonly Mix[];
  /** The mixes whose runs stored one state per renaming of the mms (their state counts are of classes). */
  readonly symmetry: readonly string[];
  /** Peak resident set size of the process when the matrix was done. */
  readonly peakRssBytes: number;
}

export interface MatrixOptions extends PoolOptions {
  readonly policies?: readonly Policy[];
  readonly schemes?: readonly string[];
  readonly mixes?: readonly Mix[];
  /** Overrides every mix's depth. */
  readonly depth?: number;
  readonly maxSeconds?: number;
  readonly maxMemoryBytes?: number;
  /** One state per renaming of the mms in every mix, or in none; absent: where the mix says (`Mix.symmetry`). */
  readonly symmetry?: SymmetryChoice;
}

/**
 * Runs the matrix. An interrupt or bound ends the runs in progress early, and no further run starts; the
 * table then says so per run. With `workers` > 1 the searches run side by side in worker threads (compiled
 * JavaScript only: matrixWorker.js), and the table is assembled in the same order, so it is the same.
 */
export async function runMatrix(opts: MatrixOptions = {}): Promise<Matrix> {
  // The era table unless told otherwise; the command adds the decider table (DECIDER_POLICIES).
  const policies = opts.policies ?? POLICIES;
  const mixes = opts.mixes ?? MIXES;
  const schemes = opts.schemes ?? SCHEMES.map((s) => s.name);
  // A decider's row is its own: that scheme alone is kept beside the era's (6.15 adds mm-id).
  const rowSchemes = (p: Policy): readonly string[] => (p.decider !== undefined ? [p.decider] : schemes);
  const tasks: MatrixTask[] = policies.flatMap((policy) =>
    mixes.map((mix) => ({
      policy,
      mix,
      schemes: rowSchemes(policy),
      symmetry: symmetricMix(mix, opts.symmetry),
      schemeFiles: schemeFilesOf(rowSchemes(policy)),
      ...(opts.depth !== undefined ? { depth: opts.depth } : {}),
      ...(opts.maxSeconds !== undefined ? { maxSeconds: opts.maxSeconds } : {}),
      ...(opts.maxMemoryBytes !== undefined ? { maxMemoryBytes: opts.maxMemoryBytes } : {}),
    })),
  );
  const results = await searchAll(tasks, opts);

  const runs: MixRun[] = [];
  const rows: MatrixRow[] = [];
  const figures = new Map<string, Map<string, Map<string, number>>>();
  for (const policy of policies) {
    const found = new Map<string, Finding>(); // invariant -> shortest over mixes
    const polFigures = new Map<string, Map<string, number>>();
    for (const [t, task] of tasks.entries()) {
      const r = results[t];
      if (task.policy !== policy || r === undefined) continue;
      runs.push({ ...runOf(policy, task.mix, r.verdict), schemeCounts: r.schemeCounts });
      keepShortest(found, task.mix.name, r.verdict);
      for (const [scheme, stats] of r.schemeCounts) {
        const into = polFigures.get(scheme) ?? new Map<string, number>();
        for (const [k, v] of stats) into.set(k, (into.get(k) ?? 0) + v);
        polFigures.set(scheme, into);
      }
    }
    figures.set(policyKey(policy), polFigures);
    const mine = runs.filter((r) => r.policy === policy);
    const covered = mine.length === mixes.length && mine.every((r) => r.covered);
    for (const scheme of rowSchemes(policy)) rows.push(rowOf(policy, scheme, found, covered));
  }
  return {
    rows,
    runs,
    schemeFigures: figures,
    mixes,
    symmetry: mixes.filter((mix) => symmetricMix(mix, opts.symmetry)).map((mix) => mix.name),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

function runOf(policy: Policy, mix: Mix, r: Verdict<Action>): Omit<MixRun, 'schemeCounts'> {
  const ended =
    r.ended === 'every-invariant-failed'
      ? 'every invariant failed'
      : r.ended === 'exhausted'
        ? 'state space exhausted'
        : r.incomplete?.reason === 'depth'
          ? `depth ${r.stats.depth}`
          : `stopped: ${r.incomplete?.detail ?? 'unknown'}`;
  const covered = r.ended === 'exhausted' || r.ended === 'every-invariant-failed' || r.incomplete?.reason === 'depth';
  const run = {
    policy,
    mix: mix.name,
    states: r.stats.states,
    seconds: r.stats.seconds,
    ended,
    covered,
    stats: r.stats,
    ...(r.coverage !== undefined ? { coverage: r.coverage } : {}),
  };
  return r.incomplete !== undefined ? { ...run, incomplete: r.incomplete } : run;
}

/** Keeps, per invariant and per failing step (kind and message), the shortest finding over the mixes. */
function keepShortest(found: Map<string, Finding>, mix: string, r: Verdict<Action>): void {
  const offer = (f: Finding): void => {
    const key = findingName(f);
    const best = found.get(key);
    if (best === undefined || f.trace.length < best.trace.length) found.set(key, f);
  };
  for (const v of r.violations) offer({ mix, what: { invariant: v.invariant }, trace: v.trace });
  for (const { trace, ...failure } of r.failures) offer({ mix, what: failure, trace });
}

function rowOf(policy: Policy, scheme: string, found: ReadonlyMap<string, Finding>, covered: boolean): MatrixRow {
  const ae = eraRules(policy.era).anonExclusive;
  const schemeInvariant = SCHEMES.find((s) => s.name === scheme)?.invariant ?? scheme;
  const cells: Record<string, Cell> = {};
  for (const p of PROPERTIES) {
    if ((p.needsAnonExclusive && !ae) || (p.needsDecider && policy.decider === undefined)) {
      cells[p.key] = { kind: 'n/a' };
      continue;
    }
    const names = p.key === 'desync' ? [schemeInvariant] : p.invariants;
    let best: Finding | undefined;
    for (const f of found.values()) {
      const mine = 'invariant' in f.what ? names.includes(f.what.invariant) : p.stepFailures === true;
      if (mine && (best === undefined || f.trace.length < best.trace.length)) best = f;
    }
    cells[p.key] =
      best !== undefined ? { kind: 'fails', finding: best } : covered ? { kind: 'holds' } : { kind: 'not-covered' };
  }
  return { policy, scheme, cells };
}

/** `era/ae/scheme/property`, the key `matrix --show` takes. */
export function cellKey(row: MatrixRow, property: string): string {
  return `${policyKey(row.policy)}/${row.scheme}/${property}`;
}
