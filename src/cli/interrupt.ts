/**
 * Ctrl-C and SIGTERM as a clean stop: the first one aborts the run in progress (which then reports what it
 * explored as "incomplete"), a second one exits at once (130 for SIGINT, 143 for SIGTERM, the shell's codes).
 *
 * One stop per process: `main` listens from the start (a signal during set-up, such as compiling the kernel
 * helper, is not lost), and a run nested inside another shares its signal (`specs` stops as a whole).
 */
let active: AbortSignal | undefined;

export async function withInterrupt<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (active !== undefined) return run(active);
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(signal === 'SIGTERM' ? 143 : 130);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  active = controller.signal;
  try {
    return await run(controller.signal);
  } finally {
    active = undefined;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
