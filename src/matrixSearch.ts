/**
 * The searches of the matrix (matrix.ts): one per (policy, mix), each going on past violations to the mix's
 * depth, in this thread or side by side in worker threads (matrixWorker.ts). The searches are independent;
 * matrix.ts assembles the table from them in its own order, so the number of threads changes no cell.
 */
import { Worker } from 'node:worker_threads';
import { explore } from './checker/explore.js';
import type { Progress } from './checker/limits.js';
import type { Verdict } from './checker/verdict.js';
import { type Mix, type Policy, policyKey, symmetricMix } from './mixes.js';
import type { Action } from './model/actions.js';
import { type KernelSystem, makeKernelSystem } from './spec.js';

/**
 * The system one run explores: the mix's bounds under the policy, every scheme maintained, one state per
 * renaming of the mms where `symmetry` says, by default where the mix does (`Mix.symmetry`; state/symmetry.ts:
 * the verdicts are the same).
 */
export function mixSystem(
  mix: Mix,
  policy: Policy,
  schemes: readonly string[],
  symmetry = symmetricMix(mix),
): KernelSystem {
  return makeKernelSystem({
    bounds: {
      ...mix.bounds,
      era: policy.era,
      ae: policy.ae,
      schemes,
      ...(policy.decider !== undefined ? { decider: policy.decider } : {}),
      ...(symmetry && mix.bounds.mms > 1 ? { symmetry: true } : {}),
    },
    name: `${policyKey(policy)} ${mix.name}`,
    prefix: [],
  });
}

/** One search of the matrix: a mix under a policy, every selected scheme maintained (plain data, for workers). */
export interface MatrixTask {
  readonly policy: Policy;
  readonly mix: Mix;
  readonly schemes: readonly string[];
  /** One state per renaming of the mms; absent: where the mix says (`Mix.symmetry`). */
  readonly symmetry?: boolean;
  /** Scheme files among them (URLs), which a worker thread loads first. */
  readonly schemeFiles?: readonly string[];
  readonly depth?: number;
  readonly maxSeconds?: number;
  readonly maxMemoryBytes?: number;
}

/** What one search gives the table: its verdict (every invariant's shortest trace) and the schemes' figures. */
export interface MixSearch {
  readonly verdict: Verdict<Action>;
  readonly schemeCounts: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** What a matrix worker (matrixWorker.ts) tells the coordinator. */
export type MatrixWorkerMessage =
  | { readonly type: 'progress'; readonly states: number }
  | { readonly type: 'done'; readonly done: MixSearch }
  | { readonly type: 'fatal'; readonly message: string };

/** Runs one search of the matrix, going on past violations to the mix's depth. */
export async function searchMix(
  task: MatrixTask,
  signal: AbortSignal | undefined,
  onStates: (states: number) => void,
): Promise<MixSearch> {
  const sys = mixSystem(task.mix, task.policy, task.schemes, task.symmetry ?? symmetricMix(task.mix));
  const maxDepth = task.depth ?? task.mix.depth;
  const verdict = await explore(sys, {
    continue: true,
    ...(maxDepth !== undefined ? { maxDepth } : {}),
    ...(task.maxSeconds !== undefined ? { maxSeconds: task.maxSeconds } : {}),
    ...(task.maxMemoryBytes !== undefined ? { maxMemoryBytes: task.maxMemoryBytes } : {}),
    ...(signal !== undefined ? { signal } : {}),
    onProgress: (p: Progress) => onStates(p.states),
  });
  return { verdict, schemeCounts: sys.schemeCounts() };
}

/** How the searches run: threads, interrupt, progress (before each run, and about every second during it). */
export interface PoolOptions {
  /** Searches side by side in worker threads (default 1: in this thread). */
  readonly workers?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number, policy: Policy, mix: string, states: number) => void;
}

/** Every task's search, by task index; a task not started before an interrupt has none. */
export async function searchAll(tasks: readonly MatrixTask[], opts: PoolOptions): Promise<(MixSearch | undefined)[]> {
  const results: (MixSearch | undefined)[] = new Array(tasks.length).fill(undefined);
  const total = tasks.length;
  let done = 0;
  // Worker threads load compiled JavaScript (matrixWorker.js); run from TypeScript sources (the test
  // runner), the searches stay in this thread.
  const compiled = import.meta.url.endsWith('.js');
  const workers = compiled ? Math.min(opts.workers ?? 1, total) : 1;
  if (workers <= 1) {
    for (const [t, task] of tasks.entries()) {
      if (opts.signal?.aborted) break;
      opts.onProgress?.(done, total, task.policy, task.mix.name, 0);
      results[t] = await searchMix(task, opts.signal, (states) =>
        opts.onProgress?.(done, total, task.policy, task.mix.name, states),
      );
      done += 1;
    }
    return results;
  }
  let next = 0;
  const pool = Array.from({ length: workers }, () => new Worker(new URL('./matrixWorker.js', import.meta.url)));
  const stopAll = (): void => {
    for (const w of pool) w.postMessage({ type: 'stop' });
  };
  opts.signal?.addEventListener('abort', stopAll, { once: true });
  try {
    await Promise.all(
      pool.map(async (worker) => {
        for (;;) {
          if (opts.signal?.aborted || next >= tasks.length) return;
          const t = next++;
          const task = tasks[t] as MatrixTask;
          opts.onProgress?.(done, total, task.policy, task.mix.name, 0);
          results[t] = await new Promise<MixSearch>((resolve, reject) => {
            const onMessage = (m: MatrixWorkerMessage): void => {
              if (m.type === 'progress') {
                opts.onProgress?.(done, total, task.policy, task.mix.name, m.states);
                return;
              }
              worker.off('message', onMessage);
              worker.off('error', reject);
              if (m.type === 'done') resolve(m.done);
              else reject(new Error(`matrix worker: ${m.message}`));
            };
            worker.on('message', onMessage);
            worker.once('error', reject);
            worker.postMessage({ type: 'task', task });
          });
          done += 1;
        }
      }),
    );
  } finally {
    opts.signal?.removeEventListener('abort', stopAll);
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
