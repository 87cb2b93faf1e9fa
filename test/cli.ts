/**
 * Running the command line in-process for tests: the exit status and what it wrote to each stream.
 */
import { vi } from 'vitest';
import { main } from '../src/cli/main.js';

export interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

const text = (chunk: string | Uint8Array): string =>
  typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();

/** Runs `foliocheck ...args`, capturing what it writes. */
export async function cli(...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += text(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += text(chunk);
    return true;
  });
  try {
    const status = await main(['node', 'foliocheck', ...args]);
    return { status, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
