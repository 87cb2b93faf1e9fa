/**
 * Global settings of a kernel run: the mTHP sizes, khugepaged's pace and the swap file. They are saved
 * before the first change, in a lock file that also says which process holds them, and restored on every
 * way out (return, exception, SIGINT, SIGTERM, the helper crashing); a later run that finds the lock of a
 * dead process restores what it saved before taking over.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KernelUnobservable } from './native.js';

const THP = '/sys/kernel/mm/transparent_hugepage';
export const LOCK_FILE = '/run/foliocheck-kernel.lock';
/** khugepaged sleeps this long between scans during a run: it never collapses the regions under test. */
const KHUGEPAGED_SLEEP = '4294967295';

interface Saved {
  readonly pid: number;
  /** sysfs file -> the value to write back. */
  readonly files: Record<string, string>;
  /** The swap file enabled for the run, if any. */
  swapFile?: string;
}

/** The selected word of a sysfs choice file: "always [madvise] never" -> "madvise". */
function selected(text: string): string {
  return /\[(\w+)\]/.exec(text)?.[1] ?? text.trim();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The mTHP size directories, by pages: hugepages-16kB -> 4. */
export function mthpSizes(): Map<number, string> {
  const out = new Map<number, string>();
  for (const d of readdirSync(THP)) {
    const m = /^hugepages-(\d+)kB$/.exec(d);
    // Some sizes have only shmem_enabled (order 1 is file/shmem only): anon sizes have `enabled`.
    if (m && existsSync(join(THP, d, 'enabled'))) out.set(Number(m[1]) / 4, join(THP, d, 'enabled'));
  }
  return out;
}

function restoreSaved(s: Saved, helper: string | undefined): void {
  for (const [file, value] of Object.entries(s.files)) {
    try {
      writeFileSync(file, value);
    } catch {
      // Keep restoring the others; the lock stays so the next run retries.
    }
  }
  if (s.swapFile !== undefined) {
    if (helper !== undefined) spawnSync(helper, ['swapoff', s.swapFile], { stdio: 'ignore' });
    else spawnSync('swapoff', [s.swapFile], { stdio: 'ignore' });
    rmSync(s.swapFile, { force: true });
  }
}

/**
 * The settings of one session, held from `acquire` to `restore`. Only one session per machine: a live
 * holder of the lock makes `acquire` refuse.
 */
export class Settings {
  private saved: Saved | undefined;
  private readonly onSignal = (sig: NodeJS.Signals): void => {
    this.restore();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  private readonly onExit = (): void => this.restore();

  private readonly helper: string;

  constructor(helper: string) {
    this.helper = helper;
  }

  /**
   * Takes the lock and saves the settings. With `handleSignals` (the default) SIGINT and SIGTERM restore and
   * exit 130/143 at once; a caller that stops on an AbortSignal instead (`foliocheck kernel`: the steps so far
   * and the `incomplete` verdict) passes false and restores through `restore()` on its way out, the exit
   * handler still restoring if a second signal ends the process.
   */
  acquire(handleSignals = true): void {
    if (existsSync(LOCK_FILE)) {
      const old = JSON.parse(readFileSync(LOCK_FILE, 'utf8')) as Saved;
      if (alive(old.pid)) {
        throw new KernelUnobservable(`another run (pid ${old.pid}) holds the THP and swap settings (${LOCK_FILE})`);
      }
      restoreSaved(old, this.helper);
      rmSync(LOCK_FILE, { force: true });
    }
    const files: Record<string, string> = {};
    for (const f of [...mthpSizes().values(), join(THP, 'khugepaged', 'scan_sleep_millisecs')]) {
      files[f] = selected(readFileSync(f, 'utf8'));
    }
    this.saved = { pid: process.pid, files };
    writeFileSync(LOCK_FILE, JSON.stringify(this.saved), { flag: 'wx' });
    process.on('exit', this.onExit);
    if (handleSignals) {
      process.on('SIGINT', this.onSignal);
      process.on('SIGTERM', this.onSignal);
    }
    writeFileSync(join(THP, 'khugepaged', 'scan_sleep_millisecs'), KHUGEPAGED_SLEEP);
  }

  /**
   * Exactly the model's mTHP sizes, "madvise" (the helper's region is MADV_HUGEPAGE, nothing else on the
   * machine gets them); every other size, the PMD size included, "never": a write fault never maps a PMD.
   */
  setLargeSizes(pages: readonly number[]): void {
    for (const [n, file] of mthpSizes()) writeFileSync(file, pages.includes(n) ? 'madvise' : 'never');
  }

  /**
   * The PMD size (512 pages) "madvise" for the one store of a `thp` step, "never" again right after: only
   * that fault maps a PMD, and khugepaged has still nothing to collapse into between steps.
   */
  setPmdSize(on: boolean): void {
    const file = mthpSizes().get(512);
    if (file !== undefined) writeFileSync(file, on ? 'madvise' : 'never');
  }

  /** A swap file of `pages` pages for MADV_PAGEOUT, enabled until `restore`. */
  enableSwap(pages: number): void {
    const s = this.saved;
    if (s === undefined || s.swapFile !== undefined) return;
    const file = `/var/tmp/foliocheck-swap-${process.pid}`;
    s.swapFile = file;
    writeFileSync(LOCK_FILE, JSON.stringify(s));
    for (const args of [
      ['mkswap', file, String(pages)],
      ['swapon', file],
    ]) {
      const r = spawnSync(this.helper, args, { encoding: 'utf8' });
      if (r.status !== 0) throw new KernelUnobservable(`cannot enable a swap file: ${r.stderr.trim()}`);
    }
  }

  /** Puts every saved setting back, frees the swap file and releases the lock; idempotent. */
  restore(): void {
    const s = this.saved;
    if (s === undefined) return;
    this.saved = undefined;
    restoreSaved(s, this.helper);
    rmSync(LOCK_FILE, { force: true });
    process.off('exit', this.onExit);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}
