/**
 * The bounds of a search, read the same way by the sequential driver (search.ts) and the parallel
 * coordinator (parallel.ts): depth, states, time, resident memory and interrupt (an AbortSignal), each with
 * one message; the progress figures, reported about every `progressEverySeconds`; and the final figures.
 */
import { collisionProbability } from './stateStore.js';
import type { Incomplete, Stats } from './verdict.js';

export interface Progress {
  readonly states: number;
  readonly edges: number;
  readonly depth: number;
  readonly frontier: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
}

export interface Limits {
  /** Do not expand states at this depth or deeper. */
  readonly maxDepth?: number;
  readonly maxStates?: number;
  readonly maxSeconds?: number;
  /** Resident set size above which the search stops. */
  readonly maxMemoryBytes?: number;
  readonly signal?: AbortSignal;
  /** Called about every `progressEverySeconds` with the figures so far. */
  readonly onProgress?: (p: Progress) => void;
  readonly progressEverySeconds?: number;
}

/** How long the driver runs between two yields to the event loop (interrupts, progress, timers). */
export const SLICE_MS = 100;

export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** The bounds of one search, started at construction. Fields are plain numbers for the hot loop. */
export class Budget {
  readonly t0 = performance.now();
  readonly maxDepth: number;
  readonly maxStates: number;
  private readonly opts: Limits;
  private readonly maxMs: number;
  private readonly maxRss: number;
  private readonly progressMs: number;
  private lastProgress = this.t0;

  constructor(opts: Limits) {
    this.opts = opts;
    this.maxDepth = opts.maxDepth ?? Number.POSITIVE_INFINITY;
    this.maxStates = opts.maxStates ?? Number.POSITIVE_INFINITY;
    this.maxMs = (opts.maxSeconds ?? Number.POSITIVE_INFINITY) * 1000;
    this.maxRss = opts.maxMemoryBytes ?? Number.POSITIVE_INFINITY;
    this.progressMs = (opts.progressEverySeconds ?? 1) * 1000;
  }

  seconds(now = performance.now()): number {
    return (now - this.t0) / 1000;
  }

  /** Expanding a level at `level` or deeper is past the depth bound. */
  depth(level: number): Incomplete | undefined {
    return level >= this.maxDepth
      ? { reason: 'depth', detail: `states at depth ${level} were not expanded (--max-depth ${this.maxDepth})` }
      : undefined;
  }

  states(states: number): Incomplete | undefined {
    return states >= this.maxStates
      ? { reason: 'states', detail: `stopped at ${states} states (--max-states ${this.maxStates})` }
      : undefined;
  }

  time(now = performance.now()): Incomplete | undefined {
    return now - this.t0 > this.maxMs
      ? { reason: 'time', detail: `stopped after ${this.opts.maxSeconds} s (--max-seconds)` }
      : undefined;
  }

  /**
   * Resident memory past the bound, or about to pass it: `growthBytes` is what the search's tables touch
   * at once when they next grow, so the bound holds (up to one slice of linear growth) instead of being
   * passed by a growth between two checks.
   */
  memory(growthBytes = 0): Incomplete | undefined {
    const rss = process.memoryUsage.rss();
    if (rss + growthBytes <= this.maxRss) return undefined;
    const mib = (n: number): number => Math.round(n / 2 ** 20);
    const bound = mib(this.maxRss);
    const detail =
      rss > this.maxRss
        ? `resident memory passed ${bound} MiB`
        : `resident memory (${mib(rss)} MiB) and the tables' next growth (${mib(growthBytes)} MiB) ` +
          `would pass ${bound} MiB`;
    return { reason: 'memory', detail };
  }

  interrupted(): Incomplete | undefined {
    return this.opts.signal?.aborted === true ? { reason: 'interrupted', detail: 'interrupted' } : undefined;
  }

  /** The figures of a search with these counts so far, timed from the budget's start. */
  stats(
    states: number,
    edges: number,
    depth: number,
    store: 'exact' | 'fingerprint',
    levels?: readonly number[],
  ): Stats {
    const seconds = this.seconds();
    const base = {
      states,
      edges,
      depth,
      ...(levels !== undefined ? { levels } : {}),
      seconds,
      statesPerSecond: seconds > 0 ? states / seconds : states,
      peakRssBytes: peakRssBytes(),
      store,
    } as const;
    return store === 'fingerprint' ? { ...base, collisionProbability: collisionProbability(states, edges + 1) } : base;
  }

  /** Calls `onProgress` with `figures()` if a progress period has passed. */
  progress(now: number, figures: () => Progress): void {
    if (this.opts.onProgress === undefined || now - this.lastProgress < this.progressMs) return;
    this.lastProgress = now;
    this.opts.onProgress(figures());
  }
}

/** The engine's own allocation failing (its arrays), as a bound. */
export function allocationFailed(e: RangeError): Incomplete {
  return { reason: 'memory', detail: `allocation failed: ${e.message}` };
}
