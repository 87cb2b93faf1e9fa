/**
 * A script replayed on the model and on the running kernel, compared after every step.
 *
 * The model runs first (the plain state after each step, `replay`); then each step is performed by the
 * native helper as the system call it stands for, the kernel is observed, and the observation is compared
 * with the model's state (compare.ts) and with the previous observation (reuse versus copy).
 */
import { spawnSync } from 'node:child_process';
import { release } from 'node:os';
import { type Action, actionLabel, applyAction } from '../model/actions.js';
import type { Config } from '../model/config.js';
import type { Era } from '../model/eras.js';
import type { Kernel } from '../model/include/mm_types.js';
import { splitRenames } from '../model/mm/huge_memory/split_huge_page.js';
import { toPlain } from '../model/state/plain.js';
import { parseScript, resolveScript, ScriptError, whyNotEnabled } from '../script.js';
import { KernelSystem } from '../spec.js';
import { replay } from '../trace.js';
import { compareContinuity, compareState, type Difference } from './compare.js';
import { Helper, HelperError } from './helper.js';
import { helperBinary, KernelUnobservable, missingForObservation } from './native.js';
import { mthpSizes, Settings } from './settings.js';
import { comparePins, PinIds, perform, refusal, StepRefused, SYSCALLS } from './steps.js';

export { StepRefused } from './steps.js';

/** Pages of the swap file enabled for MADV_PAGEOUT (4 MiB: far more than any model's swap slots). */
const SWAP_PAGES = 1024;

/** The model era whose rules the running kernel follows, from `uname -r`. */
export function runningEra(rel = release()): Era {
  const [major = 0, minor = 0] = rel.split('.').map((x) => Number.parseInt(x, 10));
  const v = major * 1000 + minor;
  if (v >= 6015) return '6.15';
  if (v >= 5019) return '5.19';
  if (v >= 5009) return '5.9';
  if (v >= 5008) return '5.8';
  return '5.7';
}

export interface KernelStep {
  readonly step: number;
  readonly label: string;
  readonly syscall: string;
  readonly differences: readonly Difference[];
  readonly ms: number;
}

export interface KernelRun {
  /**
   * conforms; diverges; every difference of the first differing step is a named allowance; or incomplete:
   * the session's AbortSignal (SIGINT, SIGTERM) stopped the replay, `steps` are those compared so far.
   */
  readonly verdict: 'conforms' | 'diverges' | 'allowance' | 'incomplete';
  /** Why a run is incomplete. */
  readonly reason?: 'interrupted';
  /** The initial state's differences (step 0), then one entry per step performed. */
  readonly initial: readonly Difference[];
  readonly steps: readonly KernelStep[];
}

/**
 * The pages a step's folio splits move ("slot:page" -> "slot:page"): the step applied once more to a copy
 * of the state before it, with split_huge_page() reporting each page it moves.
 */
export function splitsOf(before: Kernel, action: Action): Map<string, string> {
  const renames = new Map<string, string>();
  splitRenames.log = (from, page, to) => renames.set(`${from}:${page}`, `${to}:0`);
  try {
    applyAction(toPlain(before), action);
  } finally {
    splitRenames.log = undefined;
  }
  return renames;
}

/**
 * Throws StepRefused when the kernel cannot take the configuration: an mTHP size it does not have, or the
 * other answer to whether a read fault maps the zero page (`readAllocates`: the kernel's own, probed).
 */
export function checkConfig(cfg: Config, readAllocates: boolean): void {
  if (cfg.readAllocates !== readAllocates) {
    throw new StepRefused(
      readAllocates
        ? 'this kernel allocates a folio on a read fault (it maps no zero page): the model needs --read-allocates'
        : '--read-allocates: this kernel maps the zero page on a read fault',
    );
  }
  const sizes = mthpSizes();
  for (const o of cfg.orders) {
    if (!sizes.has(2 ** o))
      throw new StepRefused(`--orders ${o}: this kernel has no anonymous mTHP of ${2 ** o} pages`);
  }
}

/**
 * Whether the running kernel's read faults allocate a folio instead of mapping the zero page (the model's
 * `readAllocates`): the helper reads a fresh page and looks at what its PTE maps.
 */
export function kernelReadAllocates(bin: string): boolean {
  const r = spawnSync(bin, ['zeropage'], { encoding: 'utf8' });
  const out = r.stdout?.trim();
  if (r.status !== 0 || (out !== '0' && out !== '1')) {
    throw new KernelUnobservable(
      'cannot tell whether a read fault maps the zero page (pagemap or kpageflags unreadable)',
    );
  }
  return out === '0';
}

/** Resolves when `signal` aborts, or after `ms`. */
function abortedWithin(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      resolve();
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** One machine-wide session: the helper built, the settings saved and the lock held until `close`. */
export class KernelSession {
  readonly bin: string;
  /** The running kernel's read faults allocate a folio (no zero page): the model must say the same. */
  readonly readAllocates: boolean;
  private readonly settings: Settings;
  private readonly signal: AbortSignal | undefined;

  private constructor(bin: string, signal: AbortSignal | undefined) {
    this.bin = bin;
    this.readAllocates = kernelReadAllocates(bin);
    this.settings = new Settings(bin);
    this.signal = signal;
  }

  /**
   * Opens a session, or throws KernelUnobservable naming what is missing. With a `signal`, SIGINT and SIGTERM
   * are the caller's: an aborted signal ends a run between steps as `incomplete` (the caller then closes the
   * session, which restores the settings); without one the settings restore and exit on a signal at once.
   */
  static open(signal?: AbortSignal): KernelSession {
    const missing = missingForObservation();
    if (missing !== undefined) throw new KernelUnobservable(missing);
    const s = new KernelSession(helperBinary(), signal);
    s.settings.acquire(signal === undefined);
    return s;
  }

  /** The session's signal has stopped it: no further run or step starts. */
  get interrupted(): boolean {
    return this.signal?.aborted === true;
  }

  close(): void {
    this.settings.restore();
  }

  /** Replays a script (text) under `cfg` on the model and the kernel. */
  async run(cfg: Config, text: string, source: string): Promise<KernelRun> {
    const sys = new KernelSystem(cfg, 'kernel');
    const indices = resolveScript(sys, parseScript(text, source), source);
    const r = replay(sys, indices, false, true);
    if (r.disabled !== undefined) {
      const d = r.disabled;
      throw new ScriptError(
        `${source}: step ${d.step} ${actionLabel(d.action)} is not enabled in the model: ${whyNotEnabled(d.action, d.code)}`,
      );
    }
    if (r.failure !== undefined) {
      throw new ScriptError(`${source}: step ${r.failure.step}: the model warns: ${r.failure.why}`);
    }
    r.steps.forEach((s, i) => {
      const why = refusal(s.action, cfg);
      if (why !== undefined)
        throw new StepRefused(`${source}: step ${i + 1} ${s.label}: the kernel harness cannot perform it: ${why}`);
    });
    checkConfig(cfg, this.readAllocates);
    this.settings.setLargeSizes(cfg.orders.map((o) => 2 ** o));
    if (cfg.has('pageout')) this.settings.enableSwap(SWAP_PAGES);
    const helper = new Helper(this.bin);
    let initial: readonly Difference[] = [];
    const steps: KernelStep[] = [];
    const stopped = (): KernelRun => ({ verdict: 'incomplete', reason: 'interrupted', initial, steps });
    try {
      await helper.call(`init ${cfg.va} ${cfg.pt} ${cfg.map}`);
      let obs = await helper.observe();
      initial = compareState(r.initial, obs);
      let before = r.initial;
      let verdict: KernelRun['verdict'] = initial.length === 0 ? 'conforms' : 'diverges';
      const pins = new PinIds();
      for (const [i, s] of r.steps.entries()) {
        if (verdict !== 'conforms') break;
        if (this.interrupted) return stopped();
        const t0 = performance.now();
        await perform(helper, s.action, before, s.after, pins, (on) => this.settings.setPmdSize(on));
        const next = await helper.observe();
        const differences = [
          ...compareState(s.after, next),
          ...compareContinuity(before, obs, s.after, next, splitsOf(before, s.action)),
          ...(await comparePins(helper, s.after, pins)),
        ];
        steps.push({
          step: i + 1,
          label: s.label,
          syscall: SYSCALLS[s.action.kind],
          differences,
          ms: performance.now() - t0,
        });
        if (differences.length > 0)
          verdict = differences.every((d) => d.allowance !== undefined) ? 'allowance' : 'diverges';
        before = s.after;
        obs = next;
      }
      return { verdict, initial, steps };
    } catch (e) {
      // Ctrl-C signals the whole process group: the helper dies with us, maybe before our own handler has run
      // (then wait for it); the step it was in is not compared.
      if (e instanceof HelperError && this.signal !== undefined) await abortedWithin(this.signal, 1000);
      if (this.interrupted) return stopped();
      throw e;
    } finally {
      helper.close();
    }
  }
}
