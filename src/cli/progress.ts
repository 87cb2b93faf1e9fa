/**
 * The progress line: on stderr, only when it is a terminal, and only for runs longer than two seconds.
 */
import type { Progress } from '../checker/limits.js';

const AFTER_SECONDS = 2;

export interface ProgressReporter {
  update(p: Progress): void;
  done(): void;
}

const short = (n: number): string =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(Math.round(n));

export function progressReporter(
  name: string,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressReporter | undefined {
  if (!stream.isTTY) return undefined;
  let shown = false;
  return {
    update(p) {
      if (p.seconds < AFTER_SECONDS) return;
      shown = true;
      const line =
        `${name}: ${short(p.states)} states, ${short(p.statesPerSecond)} states/s, depth ${p.depth}, ` +
        `frontier ${short(p.frontier)}, ${p.seconds.toFixed(0)} s`;
      stream.write(`\r\x1b[K${line}`);
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
