/**
 * The one module that joins the model and the checker: a kernel configuration as a `TransitionSystem`.
 *
 * Search states are decoded into one `KernelView`; every action runs the same `applyAction` that traces
 * run on immer drafts, and the result is re-encoded canonically.
 */
import type { StepFailure, TransitionSystem } from './checker/transitionSystem.js';
import { type Action, applyAction, enumerateActions } from './model/actions.js';
import { Codec, EncodingOverflow } from './model/codec.js';
import type { Config } from './model/config.js';
import { KernelWarning } from './model/debug.js';
import type { Kernel } from './model/include/mm_types.js';
import { type Invariant, invariantsFor, Truth } from './model/invariants/index.js';
import { copyKernel, createKernel } from './model/plain.js';
import { KernelView, Layout } from './model/views.js';

export class KernelSystem implements TransitionSystem<Action> {
  readonly name: string;
  readonly stateWords: number;
  readonly actionCount: number;
  readonly invariantNames: readonly string[];
  readonly cfg: Config;
  readonly actions: readonly Action[];
  readonly invariants: readonly Invariant[];
  readonly codec: Codec;
  /** The working kernel: the loaded state, or the last successor. */
  readonly work: KernelView;
  private readonly base: Int32Array;
  private readonly truth: Truth;

  constructor(cfg: Config, name = 'kernel') {
    this.name = name;
    this.cfg = cfg;
    const lay = new Layout(cfg);
    this.codec = new Codec(cfg, lay);
    this.stateWords = this.codec.words;
    this.actions = enumerateActions(cfg);
    this.actionCount = this.actions.length;
    this.invariants = invariantsFor(cfg);
    this.invariantNames = this.invariants.map((inv) => inv.name);
    this.work = new KernelView(cfg, lay);
    this.base = new Int32Array(lay.words);
    this.truth = new Truth(cfg);
  }

  writeInitial(out: Uint32Array, at: number): void {
    this.encodeKernel(createKernel(this.cfg), out, at);
  }

  /** Encodes any kernel (plain or view) canonically. */
  encodeKernel(k: Kernel, out: Uint32Array, at: number): void {
    copyKernel(k, this.work);
    this.codec.encode(this.work.w, out, at);
    this.work.markClean();
    this.base.set(this.work.w);
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
    if (applyAction(work, this.actions[i] as Action) !== 0) return false;
    this.codec.encode(work.w, out, at);
    return true;
  }

  check(): number {
    const k = this.work;
    this.truth.recount(k);
    const invs = this.invariants;
    for (let i = 0; i < invs.length; i++) if (!(invs[i] as Invariant).holds(k, this.truth)) return i;
    return -1;
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
    return { kind: 'model-error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}
