/**
 * How every command searches a kernel system: the parsed search settings, the caller's interrupt and
 * progress, and the default memory bound, on one thread or several.
 */
import { totalmem } from 'node:os';
import type { ExploreOptions } from '../checker/explore.js';
import type { Progress } from '../checker/limits.js';
import type { Verdict } from '../checker/verdict.js';
import type { Action } from '../model/actions.js';
import { exploreKernel, type KernelSystem } from '../spec.js';

/** The search settings of a command (the command line's `--store`, `--workers`, `--max-*`). */
export interface SearchSettings {
  readonly store: 'exact' | 'fingerprint';
  readonly workers: number;
  readonly maxDepth?: number;
  readonly maxStates?: number;
  readonly maxSeconds?: number;
  readonly maxMemoryBytes?: number;
  readonly spillDir?: string;
}

/** What the caller controls while a run goes on: an interrupt, and where progress goes. */
export interface RunControl {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
}

/** Stop before the machine runs out: most of physical memory, leaving room for the report. */
export function defaultMemoryLimit(): number {
  return totalmem() * 0.9;
}

/** The engine's options for these settings, with the default memory bound. */
export function exploreOptions(search: SearchSettings, control: RunControl = {}): ExploreOptions {
  return {
    store: search.store,
    maxMemoryBytes: search.maxMemoryBytes ?? defaultMemoryLimit(),
    ...(search.maxDepth !== undefined ? { maxDepth: search.maxDepth } : {}),
    ...(search.maxStates !== undefined ? { maxStates: search.maxStates } : {}),
    ...(search.maxSeconds !== undefined ? { maxSeconds: search.maxSeconds } : {}),
    ...(search.spillDir !== undefined ? { spillDir: search.spillDir } : {}),
    ...(control.signal !== undefined ? { signal: control.signal } : {}),
    ...(control.onProgress !== undefined ? { onProgress: control.onProgress } : {}),
  };
}

/** Searches `sys` with these settings, on `search.workers` threads. */
export function searchKernel(
  sys: KernelSystem,
  search: SearchSettings,
  control: RunControl = {},
): Promise<Verdict<Action>> {
  return exploreKernel(sys, { ...exploreOptions(search, control), workers: search.workers });
}
