/**
 * The native helper as a process: one command a line on its stdin, one reply a line on its stdout
 * ("ok <json>" or "err <why>"). See native/foliocheck-kernel.c for the commands.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A step the kernel refused (a system call failed), or a helper that died: names the command and why. */
export class HelperError extends Error {
  override name = 'HelperError';
}

/** Per page: none, present (pfn, PM_MMAP_EXCLUSIVE, kpagecount, kpageflags, folio head, folio pages, data), swap. */
export type PageObs =
  | 'n'
  | readonly ['p', number, number, number, number, number, number, number]
  | readonly ['s', number, number];

export interface MmObs {
  readonly mm: number;
  readonly pid: number;
  readonly pages: readonly PageObs[];
}

export class Helper {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string | undefined) => void)[] = [];
  private stderr = '';

  constructor(bin: string) {
    this.child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    const lines = createInterface({ input: this.child.stdout });
    lines.on('line', (l) => this.waiting.shift()?.(l));
    lines.on('close', () => {
      for (const w of this.waiting.splice(0)) w(undefined);
    });
    // A dead helper answers every pending and later command with an error, never a hang.
    this.child.on('exit', () => {
      for (const w of this.waiting.splice(0)) w(undefined);
    });
    this.child.stdin.on('error', () => undefined);
  }

  /** The controller's pid (tests kill it to check that its mm processes follow). */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Sends one command; resolves to the reply's JSON, or throws a HelperError with the helper's reason. */
  async call(command: string): Promise<unknown> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      throw new HelperError(`${command}: the helper has exited (${this.stderr.trim() || 'no message'})`);
    }
    const line = await new Promise<string | undefined>((res) => {
      this.waiting.push(res);
      this.child.stdin.write(`${command}\n`);
    });
    if (line === undefined)
      throw new HelperError(`${command}: the helper died (${this.stderr.trim() || 'no message'})`);
    if (line.startsWith('ok ')) return JSON.parse(line.slice(3)) as unknown;
    throw new HelperError(`${command}: ${line.replace(/^err /, '')}`);
  }

  async observe(): Promise<MmObs[]> {
    return (await this.call('obs')) as MmObs[];
  }

  /** Ends the controller; its mm processes follow (their lifeline pipe closes). */
  close(): void {
    this.child.stdin.end();
    this.child.kill('SIGKILL');
  }
}
