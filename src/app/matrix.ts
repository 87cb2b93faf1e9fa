/**
 * `foliocheck matrix`: the runs of the era x AnonExclusive x scheme matrix for a selection, what one cell
 * found as a verdict (`--show`), and the whole matrix as a verdict for its exit status (incomplete when a run
 * did not cover its bounds; the table's findings are its product, not a failure).
 */
import type { Verdict } from '../checker/verdict.js';
import { verdictOf } from '../checker/verdict.js';
import { type Matrix, MIXES, type Mix, mixSystem, type Policy, runMatrix, type SymmetryChoice } from '../matrix.js';
import type { Action } from '../model/actions.js';
import type { KernelSystem } from '../spec.js';

export interface MatrixSelection {
  readonly policies: readonly Policy[];
  readonly schemes: readonly string[];
  readonly mixes: readonly Mix[];
}

export interface MatrixSettings {
  /** Every mix to this depth instead of its own. */
  readonly depth?: number;
  readonly maxSeconds?: number;
  /** Searches side by side in worker threads (the table is the same). */
  readonly workers?: number;
  /** One state per renaming of the mms in every mix or in none; absent: where the mix says (`Mix.symmetry`). */
  readonly symmetry?: SymmetryChoice;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number, policy: Policy, mix: string, states: number) => void;
}

export function computeMatrix(sel: MatrixSelection, settings: MatrixSettings = {}): Promise<Matrix> {
  return runMatrix({ ...sel, ...settings });
}

function summary(m: Matrix, runs: Matrix['runs']): Verdict<Action>['stats'] {
  const states = runs.reduce((n, r) => n + r.stats.states, 0);
  const seconds = runs.reduce((n, r) => n + r.stats.seconds, 0);
  return {
    states,
    edges: runs.reduce((n, r) => n + r.stats.edges, 0),
    depth: runs.reduce((n, r) => Math.max(n, r.stats.depth), 0),
    seconds,
    statesPerSecond: seconds > 0 ? states / seconds : states,
    peakRssBytes: m.peakRssBytes,
    store: 'exact',
  };
}

/** The matrix as a verdict: success when every selected run was made and covered its bounds. */
export function matrixVerdict(m: Matrix, sel: MatrixSelection): Verdict<Action> {
  const cut = m.runs.find((r) => !r.covered);
  const missing = m.runs.length < sel.policies.length * sel.mixes.length;
  const incomplete =
    cut !== undefined
      ? (cut.incomplete ?? { reason: 'interrupted' as const, detail: cut.ended })
      : missing
        ? { reason: 'interrupted' as const, detail: 'not every run was made' }
        : undefined;
  return verdictOf({
    stats: summary(m, m.runs),
    violations: [],
    failures: [],
    ...(incomplete !== undefined ? { incomplete } : {}),
  });
}

/** One cell of the matrix (`--show`): what it says, as a verdict, and for a finding its mix and system. */
export type CellView =
  | { readonly kind: 'n/a' | 'not-covered' | 'holds'; readonly verdict: Verdict<Action> }
  | { readonly kind: 'fails'; readonly verdict: Verdict<Action>; readonly mix: Mix; readonly sys: KernelSystem };

/** The cell (policy, scheme, property) of a matrix computed for `sel` with `sel.policies` = [policy]. */
export function showCell(m: Matrix, sel: MatrixSelection, policy: Policy, scheme: string, property: string): CellView {
  const cell = m.rows.find((r) => r.scheme === scheme)?.cells[property];
  const whole = matrixVerdict(m, sel);
  const holds = (): Verdict<Action> => verdictOf({ stats: whole.stats, violations: [], failures: [] });
  if (cell === undefined || cell.kind === 'n/a') return { kind: 'n/a', verdict: holds() };
  if (cell.kind === 'not-covered') {
    const incomplete = whole.incomplete ?? { reason: 'interrupted' as const, detail: 'not covered' };
    return { kind: 'not-covered', verdict: verdictOf({ ...holds(), incomplete }) };
  }
  if (cell.kind === 'holds') return { kind: 'holds', verdict: whole.kind === 'incomplete' ? whole : holds() };
  const f = cell.finding;
  const mix = MIXES.find((x) => x.name === f.mix) as Mix;
  const stats = m.runs.find((r) => r.mix === f.mix)?.stats;
  if (stats === undefined) throw new Error(`no run of mix ${f.mix}`);
  let verdict: Verdict<Action>;
  if ('invariant' in f.what) {
    const first = { invariant: f.what.invariant, trace: f.trace };
    verdict = verdictOf({ stats, violations: [first], failures: [], first });
  } else {
    const first = { ...f.what, trace: f.trace };
    verdict = verdictOf({ stats, violations: [], failures: [first], first });
  }
  const schemes = policy.decider !== undefined ? [policy.decider] : sel.schemes;
  return { kind: 'fails', verdict, mix, sys: mixSystem(mix, policy, schemes, m.symmetry.includes(mix.name)) };
}
