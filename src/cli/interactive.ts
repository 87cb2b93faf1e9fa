/**
 * A run as the command line runs it: Ctrl-C ends it cleanly as "incomplete", and on a terminal its
 * progress line shows.
 */
import type { RunControl } from '../app/search.js';
import type { Progress } from '../checker/limits.js';
import { withInterrupt } from './interrupt.js';
import { progressReporter } from './progress.js';

/** Runs `run` with Ctrl-C as a clean "incomplete" and, on a terminal, the progress line of `name`. */
export function interactive<T>(
  name: string,
  run: (control: RunControl) => Promise<T>,
  onProgress?: (p: Progress) => void,
): Promise<T> {
  return withInterrupt(async (signal) => {
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
  });
}
