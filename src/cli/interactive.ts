/**
 * A run as the command line runs it: Ctrl-C ends it cleanly as "incomplete", and on a terminal its
 * progress line shows.
 */
import type { RunControl } from '../app/search.js';
import type { Progress } from '../checker/limits.js';
import { withInterrupt } from './interrupt.js';
import { progressReporter } from './progress.js';

/**
 * Runs `run` with Ctrl-C as a clean "incomplete" and, on a terminal, the progress line of `name`; under
 * `outer`, a signal a caller already listens to (one stop for a run of several searches). `onProgress`
 * also gets the progress (the CI progress lines of `specs`).
 */
export function interactive<T>(
  name: string,
  run: (control: RunControl) => Promise<T>,
  outer?: AbortSignal,
  onProgress?: (p: Progress) => void,
): Promise<T> {
  const go = async (signal: AbortSignal): Promise<T> => {
    const progress = progressReporter(name);
    try {
      return await run({
        signal,
        ...(progress !== undefined || onProgress !== undefined
          ? {
              onProgress: (p: Progress) => {
                progress?.update(p);
                onProgress?.(p);
              },
            }
          : {}),
      });
    } finally {
      progress?.done();
    }
  };
  return outer !== undefined ? go(outer) : withInterrupt(go);
}
