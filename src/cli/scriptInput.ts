/**
 * A script from the command line, bounded: `--steps` text or a `--file` that must be a regular file, either
 * at most MAX_SCRIPT_BYTES. A FIFO would block the read forever and /dev/zero never ends; both are refused
 * before a byte is read (the file is opened non-blocking and checked on its descriptor, so it cannot be
 * swapped for another between the check and the read).
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { OP_NAMES } from '../model/steps/index.js';
import { parseScript, scriptStepKinds } from '../script.js';
import { presetBounds, type RawBoundOptions } from './options.js';
import { UsageError } from './usageError.js';

/** Longest script accepted: far beyond any hand-written one (a step is ~12 bytes), small enough to parse at once. */
export const MAX_SCRIPT_BYTES = 2 ** 20;

const MIB = `${MAX_SCRIPT_BYTES / 2 ** 20} MiB`;

function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The text of `file`, a regular file of at most MAX_SCRIPT_BYTES; otherwise a UsageError naming `flag`. */
export function readScriptFile(file: string, flag = '--file'): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const why = e instanceof Error && 'code' in e ? String(e.code) : String(e);
    throw new UsageError(`${flag}: expected a readable regular file, got ${JSON.stringify(file)} (${why})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UsageError(`${flag}: expected a regular file, got ${kindOf(st)} (${file})`);
    if (st.size > MAX_SCRIPT_BYTES) {
      throw new UsageError(`${flag}: expected a script of at most ${MIB}, got ${st.size} bytes (${file})`);
    }
    // Read at most one byte more than the cap: a file that grew since fstat is still caught.
    const buf = Buffer.alloc(MAX_SCRIPT_BYTES + 1);
    let n = 0;
    for (;;) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      n += r;
      if (r === 0 || n === buf.length) break;
    }
    if (n > MAX_SCRIPT_BYTES) throw new UsageError(`${flag}: expected a script of at most ${MIB}, got more (${file})`);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** `--steps` text, at most MAX_SCRIPT_BYTES. */
export function checkStepsText(text: string, flag = '--steps'): string {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_SCRIPT_BYTES) throw new UsageError(`${flag}: expected at most ${MIB}, got ${bytes} bytes`);
  return text;
}

/** The script of `--steps` or `--file`, whichever is given (the caller checks that one is). */
export function scriptText(o: { readonly steps?: string; readonly file?: string }): string {
  return o.file !== undefined ? readScriptFile(o.file) : checkStepsText(o.steps ?? '');
}

/**
 * `run`'s bounds: unless `--ops` says otherwise, the preset's steps and every step the script names (bounds
 * under which one cannot run are then refused, as for `--ops`); contents tracked unless `--no-data`.
 */
export function runBounds(o: RawBoundOptions, text: string, source: string): RawBoundOptions {
  const named = scriptStepKinds(parseScript(text, source));
  const preset = presetBounds(o.preset ?? 'core-safe').ops;
  const ops = o.ops ?? OP_NAMES.filter((n) => preset.includes(n) || named.includes(n)).join(',');
  return { ...o, ops, data: o.data ?? true };
}
