/**
 * The one module that joins the model and the checker: a kernel configuration as a `TransitionSystem`.
 *
 * Search states are decoded into one `KernelView`; every action runs the same `applyAction` that traces
 * run on immer drafts, and the result is re-encoded canonically.
 *
 * Longer than 300 lines: the spec types and the search entry points stay beside the system they run, so
 * that the worker threads' recipe (`makeKernelSystem`) and the specs build the same system; the system's
 * coverage counters (per action here, per branch in model/coverage.ts) beside the successor that counts.
 */
import { type ExploreOptions, explore } from './checker/explore.js';
import { exploreParallel, type ParallelOptions, type SystemRecipe } from './checker/parallel.js';
import type { Coverage, CoverageCounts, StepFailure, TransitionSystem } from './checker/transitionSystem.js';
import type { Verdict } from './checker/verdict.js';
import {
  type Action,
  type ActionError,
  type Apply,
  actionLabel,
  appliers,
  applyAction,
  enumerateActions,
} from './model/actions.js';
import type { Bounds, Config } from './model/config.js';
import { makeConfig } from './model/configure.js';
import { activateFigures, DECISIONS, Figures, figureLines, observePagemap } from './model/consequences.js';
import { branchCounts, branchCountsByName, coverageReport, resetBranches } from './model/coverage.js';
import { KernelWarning } from './model/debug.js';
import type { Folio, Kernel } from './model/include/mm_types.js';
import { type Invariant, invariantsFor } from './model/invariants/index.js';
import { type SchemeSlot, type SchemeStats, schemeSlots } from './model/mapcount/index.js';
import { Truth } from './model/recount/truth.js';
import { Codec, EncodingOverflow } from './model/state/codec.js';
import { copyKernel, createKernel } from './model/state/plain.js';
import { MmSymmetry, wordsBelow } from './model/state/symmetry.js';
import { KernelView, Layout } from './model/state/views.js';
import { loadSchemeUrls, schemeFilesOf } from './schemeFile.js';
import { concreteTrace } from './symmetryTrace.js';

export class KernelSystem implements TransitionSystem<Action> {
  readonly name: string;
  readonly stateWords: number;
  readonly actionCount: number;
  readonly invariantNames: readonly string[];
  readonly cfg: Config;
  readonly actions: readonly Action[];
  /** Each action's kernel call, looked up once (`appliers`): `successor` runs once per transition. */
  private readonly applies: readonly Apply[];
  readonly invariants: readonly Invariant[];
  readonly codec: Codec;
  /** The working kernel: the loaded state, or the last successor. */
  readonly work: KernelView;
  private readonly base: Int32Array;
  private readonly truth: Truth;
  private readonly observers: readonly SchemeSlot[];
  private readonly schemeStats: Map<string, SchemeStats>;
  /** `--symmetry`: the mm renamings, and scratch words to encode each into (allocated once). */
  private readonly sym: MmSymmetry | undefined;
  private readonly symWords: Int32Array;
  private readonly symOut: Uint32Array;
  private readonly tieWords: Int32Array;
  /** Coverage: transitions taken per action instance (one increment per successor). */
  private readonly fired: Uint32Array;
  /** The consequences of a deciding scheme's decisions (`--decide-with`), counted over the search. */
  private readonly figures: Figures | undefined;

  /**
   * Action indices applied to the kernel's initial state to give this system's initial state
   * (`explore --from`): traces of this system start after them.
   */
  readonly prefix: readonly number[];

  /** The invariants checked, by id, when not every one (`explore --invariant`, a spec's `invariants`). */
  readonly only: readonly string[] | undefined;

  constructor(cfg: Config, name = 'kernel', prefix: readonly number[] = [], only?: readonly string[]) {
    this.name = name;
    this.cfg = cfg;
    this.prefix = prefix;
    this.only = only;
    const lay = new Layout(cfg);
    this.codec = new Codec(cfg, lay);
    this.stateWords = this.codec.words;
    this.actions = enumerateActions(cfg);
    this.actionCount = this.actions.length;
    this.applies = appliers(this.actions);
    this.fired = new Uint32Array(this.actionCount);
    const all = invariantsFor(cfg);
    this.invariants = only === undefined ? all : all.filter((inv) => only.includes(inv.name));
    this.invariantNames = this.invariants.map((inv) => inv.name);
    this.work = new KernelView(cfg, lay);
    this.base = new Int32Array(lay.words);
    this.truth = new Truth(cfg);
    this.observers = schemeSlots(cfg).filter((s) => s.scheme.observe !== undefined);
    this.schemeStats = new Map(this.observers.map((s) => [s.scheme.name, { counts: new Map() }]));
    this.figures = cfg.decider === undefined ? undefined : new Figures();
    this.sym = cfg.symmetry && cfg.mms > 1 ? new MmSymmetry(cfg, lay) : undefined;
    this.symWords = new Int32Array(this.sym === undefined ? 0 : lay.words);
    this.tieWords = new Int32Array(this.sym === undefined ? 0 : lay.words);
    this.symOut = new Uint32Array(this.sym === undefined ? 0 : this.stateWords);
  }

  writeInitial(out: Uint32Array, at: number): void {
    this.encodeKernel(this.initialKernel(), out, at);
  }

  /** The plain initial state: the kernel's, after the prefix. Throws if a prefix step is not enabled. */
  initialKernel(): Kernel {
    const k = createKernel(this.cfg);
    for (const [n, i] of this.prefix.entries()) {
      const a = this.actions[i] as Action;
      const ret = applyAction(k, a);
      if (ret !== 0) throw new PrefixNotEnabled(n + 1, a, ret);
    }
    return k;
  }

  /** Encodes any kernel (plain or view) canonically. */
  encodeKernel(k: Kernel, out: Uint32Array, at: number): void {
    copyKernel(k, this.work);
    this.encodeCanonical(this.work.w, out, at);
    this.work.markClean();
    this.base.set(this.work.w);
  }

  /**
   * The canonical encoding of layout words `w`: the codec's, and with `--symmetry` the smallest over every
   * renaming of the mm numbers (state/symmetry.ts).
   */
  private encodeCanonical(w: Int32Array, out: Uint32Array, at: number): void {
    const sym = this.sym;
    if (sym === undefined) {
      this.codec.encode(w, out, at);
      return;
    }
    const { symWords, symOut, tieWords, stateWords } = this;
    const perms = sym.perms;
    sym.sign(w);
    let first = true;
    // The identity too goes through `permute`: it clears detached pins' mm (state/symmetry.ts).
    for (let p = 0; p < perms.length; p++) {
      const perm = perms[p] as Int32Array;
      if (!sym.sorts(perm)) continue;
      sym.permute(w, symWords, perm);
      this.codec.encode(symWords, first ? out : symOut, first ? at : 0);
      if (!first && wordsBelow(symOut, 0, out, at, stateWords)) out.set(symOut, at);
      first = false;
      for (let q = sym.nextTieOrder(symWords, tieWords, 0); q > 0; q = sym.nextTieOrder(symWords, tieWords, q)) {
        this.codec.encode(tieWords, symOut, 0);
        if (wordsBelow(symOut, 0, out, at, stateWords)) out.set(symOut, at);
      }
    }
  }

  /**
   * A path of action indices found by a `--symmetry` search, as steps from the concrete initial state
   * (symmetryTrace.ts); `invariant` is the invariant it violates, or undefined when its last step fails.
   * Without symmetry the path is already concrete.
   */
  concretePath(path: readonly number[], invariant?: number): readonly number[] {
    if (this.sym === undefined || path.length === 0) return path;
    // A search may ask mid-expansion (a step failure): its loaded state is put back afterwards.
    const saved = this.base.slice();
    try {
      const plain = () =>
        new KernelSystem(makeConfig({ ...this.cfg.bounds(), symmetry: false }), this.name, this.prefix);
      return concreteTrace(this, path, invariant, plain);
    } finally {
      this.base.set(saved);
      this.work.restore(this.base);
    }
  }

  /** Decodes an encoded state into a fresh plain kernel (slots in canonical order). */
  decodeKernel(src: Uint32Array, at: number): Kernel {
    const view = new KernelView(this.cfg, this.work.lay);
    this.codec.decode(src, at, view.w);
    const plain = createKernel(this.cfg);
    copyKernel(view, plain);
    return plain;
  }

  load(src: Uint32Array, at: number): void {
    this.codec.decode(src, at, this.base);
    this.work.restore(this.base);
  }

  successor(i: number, out: Uint32Array, at: number): boolean {
    const work = this.work;
    if (work.dirty) work.restore(this.base);
    if (this.figures === undefined) {
      if ((this.applies[i] as Apply)(work, this.actions[i] as Action) !== 0) return false;
    } else if (!this.applyCounting(i)) return false;
    this.fired[i] = (this.fired[i] as number) + 1;
    if (this.sym === undefined) this.codec.encode(work.w, out, at);
    else this.encodeCanonical(work.w, out, at);
    return true;
  }

  /** A transition while a scheme decides: its consequences are counted into this system's figures. */
  private applyCounting(i: number): boolean {
    const before = activateFigures(this.figures);
    try {
      return (this.applies[i] as Apply)(this.work, this.actions[i] as Action) === 0;
    } finally {
      activateFigures(before);
    }
  }

  check(): number {
    const k = this.work;
    this.truth.recount(k);
    const invs = this.invariants;
    for (let i = 0; i < invs.length; i++) if (!(invs[i] as Invariant).holds(k, this.truth)) return i;
    return -1;
  }

  violations(out: Uint8Array): number {
    const k = this.work;
    this.truth.recount(k);
    const invs = this.invariants;
    let n = 0;
    for (let i = 0; i < invs.length; i++) {
      const bad = !(invs[i] as Invariant).holds(k, this.truth);
      out[i] = bad ? 1 : 0;
      if (bad) n += 1;
    }
    return n;
  }

  /**
   * Figures the mapcount schemes gather over every distinct state (mm-id's imprecision): call after
   * `violations` or `check`, which recount the current state.
   */
  observe(): void {
    const k = this.work;
    const t = this.truth;
    if (this.figures !== undefined) {
      const before = activateFigures(this.figures);
      observePagemap(k, t);
      activateFigures(before);
    }
    if (this.observers.length === 0) return;
    for (const { scheme, o } of this.observers) {
      const stats = this.schemeStats.get(scheme.name) as SchemeStats;
      for (let u = 0; u < t.nrUsed; u++) {
        const s = t.used[u] as number;
        if (scheme.smallFolios || (k.folio[s] as Folio).nr_pages > 1) scheme.observe?.(k, t, s, o, stats);
      }
    }
  }

  /** Each observing scheme's figures so far, as its `report` words them (mm-id's imprecision). */
  schemeReports(): string[] {
    const own = this.observers.flatMap(({ scheme }) =>
      (scheme.report?.(this.schemeStats.get(scheme.name) as SchemeStats) ?? []).map((l) => `${scheme.name} ${l}`),
    );
    return this.figures === undefined ? own : [...own, ...figureLines(this.cfg.decider, this.figures.counts)];
  }

  /**
   * Each observing scheme's counters so far, by scheme name (see `MapcountScheme.report`); while a scheme
   * decides, its decisions' consequences under `DECISIONS` (consequences.ts).
   */
  schemeCounts(): Map<string, ReadonlyMap<string, number>> {
    const out = new Map<string, ReadonlyMap<string, number>>(
      [...this.schemeStats].map(([name, stats]) => [name, stats.counts]),
    );
    if (this.figures !== undefined) out.set(DECISIONS, this.figures.counts);
    return out;
  }

  /** The counters a checkpoint carries: coverage per action and per branch, decision figures, scheme figures. */
  saveCounters(): unknown {
    return {
      fired: [...this.fired],
      branches: [...branchCounts],
      figures: this.figures === undefined ? [] : [...this.figures.counts],
      schemes: [...this.schemeStats].map(([name, st]) => [name, [...st.counts]]),
    };
  }

  loadCounters(saved: unknown): void {
    const c = saved as {
      fired: number[];
      branches: number[];
      figures: [string, number][];
      schemes: [string, [string, number][]][];
    };
    this.fired.set(c.fired);
    branchCounts.set(c.branches);
    for (const [k, v] of c.figures) this.figures?.counts.set(k, v);
    for (const [name, counts] of c.schemes) for (const [k, v] of counts) this.schemeStats.get(name)?.counts.set(k, v);
  }

  /** Zeroes the coverage counters: this system's per action, this thread's per branch (model/coverage.ts). */
  resetCoverage(): void {
    this.fired.fill(0);
    resetBranches();
  }

  /** Coverage counts since `resetCoverage`: transitions per step kind, this thread's branches. */
  coverageCounts(): CoverageCounts {
    return { steps: this.stepCounts(this.fired), branches: branchCountsByName() };
  }

  /**
   * The coverage of a script's steps (those that ran): run once more on the search's representation, since
   * the trace replay runs each step twice (immer, and the search's check of its encoding).
   */
  countScript(indices: readonly number[]): CoverageCounts {
    const buf = new Uint32Array(this.stateWords);
    this.writeInitial(buf, 0);
    this.load(buf, 0);
    this.resetCoverage();
    for (const i of indices) {
      try {
        if (!this.successor(i, buf, 0)) break;
      } catch {
        break; // a kernel warning: the replay reports it; what it took so far counts
      }
      this.load(buf, 0);
    }
    return this.coverageCounts();
  }

  /** Transitions per step kind, from counts per action instance. */
  stepCounts(perAction: ArrayLike<number>): Record<string, number> {
    const steps: Record<string, number> = {};
    for (let i = 0; i < perAction.length; i++) {
      const kind = (this.actions[i] as Action).kind;
      steps[kind] = (steps[kind] ?? 0) + (perAction[i] as number);
    }
    return steps;
  }

  /** Coverage of `counts`; `ops`: the step kinds a script names, when one ran. */
  coverageOf(counts: CoverageCounts, ops?: readonly string[]): Coverage {
    return coverageReport(this.cfg, counts, ops);
  }

  /** The values that break invariant `i` in kernel `k`. */
  explain(i: number, k: Kernel): string[] {
    const t = new Truth(this.cfg);
    t.recount(k);
    return (this.invariants[i] as Invariant).explain(k, t);
  }

  /** Whether every invariant holds in `k`; the index of the first that fails otherwise. */
  checkKernel(k: Kernel): number {
    const t = new Truth(this.cfg);
    t.recount(k);
    return this.invariants.findIndex((inv) => !inv.holds(k, t));
  }

  describe(i: number): Action {
    return this.actions[i] as Action;
  }

  classify(e: unknown): StepFailure {
    if (e instanceof KernelWarning) return { kind: 'kernel-warning', message: e.message };
    if (e instanceof EncodingOverflow) return { kind: 'model-error', message: e.message };
    return {
      kind: 'model-error',
      message: e instanceof Error ? (e.stack ?? e.message) : String(e),
    };
  }
}

/** A step of a `--from` prefix that is not enabled where it is applied. */
export class PrefixNotEnabled extends Error {
  readonly step: number;
  readonly action: Action;
  readonly code: ActionError;
  constructor(step: number, action: Action, code: ActionError) {
    super(`step ${step} ${actionLabel(action)} is not enabled (${code})`);
    this.name = 'PrefixNotEnabled';
    this.step = step;
    this.action = action;
    this.code = code;
  }
}

/** What a spec expects: a pass with (optionally) independently known figures, or a shortest violation. */
/** A figure exactly, or a bound on it (a claim a design implies, where the exact count has no other source). */
export type FigureExpectation = number | { readonly atLeast: number } | { readonly atMost: number };

export type SpecExpectation =
  | {
      readonly verdict: 'success';
      readonly states?: number;
      readonly edges?: number;
      readonly depth?: number;
      /** Where the figures come from (an independent count). */
      readonly source?: string;
      /**
       * Counters the search gathers, by `group/counter`: a deciding scheme's consequences
       * (`decisions/needless-copies`, consequences.ts) or a scheme's own (`mm-id/falselyShared`).
       */
      readonly figures?: Readonly<Record<string, FigureExpectation>>;
    }
  | { readonly verdict: 'invariant-violated'; readonly invariant: string; readonly traceLength: number };

/** A regression scenario: bounds, and the verdict they must give (figures from an independent source). */
export interface Spec {
  readonly name: string;
  /** What it shows, and where its expected figures come from. */
  readonly about: string;
  readonly bounds: Bounds;
  readonly expect: SpecExpectation;
  /** Too large for the test suite: run by `npm run bench` and `foliocheck specs --all`. */
  readonly heavy?: boolean;
  /**
   * A scripted scenario (`foliocheck run`): the steps are replayed and every invariant checked after each;
   * a violation's `traceLength` is the step after which it fails. Without a script the spec explores.
   */
  readonly script?: string;
  /** The invariants it concerns: only these are checked (all when absent). */
  readonly invariants?: readonly string[];
  /**
   * Coverage it requires: branch names (`do_wp_page:copy`, model/coverage.ts) or step kinds, each of which
   * must fire at least once, or the spec fails.
   */
  readonly coverage?: readonly string[];
}

export function defineSpec(spec: Spec): Spec {
  return Object.freeze(spec);
}

export interface SpecResult {
  readonly spec: Spec;
  readonly sys: KernelSystem;
  /** The verdict, with its `mismatches` against the spec's expectation (empty when every one is met). */
  readonly verdict: Verdict<Action> & { readonly mismatches: readonly string[] };
}

/** Compares a verdict with a spec's expectation; returns what differs. */
export function compareWithSpec(
  expect: SpecExpectation,
  v: Verdict<Action>,
  counts: ReadonlyMap<string, ReadonlyMap<string, number>> = new Map(),
): string[] {
  const out: string[] = [];
  if (v.kind !== expect.verdict) {
    out.push(`verdict: expected ${expect.verdict}, got ${v.kind}`);
    return out;
  }
  const s = v.stats;
  if (expect.verdict === 'success') {
    if (expect.states !== undefined && s.states !== expect.states) {
      out.push(`states: expected ${expect.states}, got ${s.states}`);
    }
    if (expect.edges !== undefined && s.edges !== expect.edges)
      out.push(`edges: expected ${expect.edges}, got ${s.edges}`);
    if (expect.depth !== undefined && s.depth !== expect.depth)
      out.push(`depth: expected ${expect.depth}, got ${s.depth}`);
    for (const [key, want] of Object.entries(expect.figures ?? {})) {
      const [group, counter] = key.split('/') as [string, string];
      const got = counts.get(group)?.get(counter) ?? 0;
      if (typeof want === 'number') {
        if (got !== want) out.push(`figure ${key}: expected ${want}, got ${got}`);
      } else if ('atLeast' in want) {
        if (got < want.atLeast) out.push(`figure ${key}: expected at least ${want.atLeast}, got ${got}`);
      } else if (got > want.atMost) out.push(`figure ${key}: expected at most ${want.atMost}, got ${got}`);
    }
  } else if (v.kind === 'invariant-violated') {
    if (v.invariant !== expect.invariant) out.push(`invariant: expected ${expect.invariant}, got ${v.invariant}`);
    if (v.trace.length !== expect.traceLength) {
      out.push(`trace length: expected ${expect.traceLength}, got ${v.trace.length}`);
    }
  }
  return out;
}

/** What a spec's coverage requirement misses: each required branch or step kind that never fired. */
export function unmetCoverage(required: readonly string[] | undefined, v: Verdict<Action>): string[] {
  if (required === undefined) return [];
  const c = v.coverage;
  return required
    .filter((name) => (c?.branches[name] ?? c?.steps[name] ?? 0) === 0)
    .map((name) => `coverage: expected ${name} to fire, got 0 times (the spec's coverage requirement)`);
}

/** Builds a kernel system in a worker thread of the parallel search (see `kernelRecipe`). */
export function makeKernelSystem(args: {
  readonly bounds: Bounds;
  readonly name: string;
  readonly prefix: readonly number[];
  readonly only?: readonly string[];
}): KernelSystem {
  return new KernelSystem(makeConfig(args.bounds), args.name, args.prefix, args.only);
}

/** `makeKernelSystem` in a worker thread: the scheme files the bounds name are loaded first. */
export async function makeWorkerKernelSystem(
  args: Parameters<typeof makeKernelSystem>[0] & { readonly schemeFiles?: readonly string[] },
): Promise<KernelSystem> {
  await loadSchemeUrls(args.schemeFiles);
  return makeKernelSystem(args);
}

/** How a worker of the parallel search builds the same system as `sys`. */
export function kernelRecipe(sys: KernelSystem): SystemRecipe {
  return {
    module: import.meta.url,
    exportName: 'makeWorkerKernelSystem',
    args: {
      bounds: sys.cfg.bounds(),
      schemeFiles: schemeFilesOf(sys.cfg.schemes),
      name: sys.name,
      prefix: sys.prefix,
      ...(sys.only !== undefined ? { only: sys.only } : {}),
    },
  };
}

/** Explores with one thread, or with `workers` threads partitioning the states. */
export function exploreKernel(
  sys: KernelSystem,
  opts: ExploreOptions & Pick<ParallelOptions, 'workers' | 'handicapMicros'> = {},
): Promise<Verdict<Action>> {
  const workers = opts.workers ?? 1;
  // Going on past violations is the one-thread driver's.
  return workers > 1 && opts.continue !== true
    ? exploreParallel(sys, kernelRecipe(sys), { ...opts, workers })
    : explore(sys, opts);
}
