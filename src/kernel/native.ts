/**
 * The native helper: built from `native/foliocheck-kernel.c` with the system compiler on first use, into
 * `node_modules/.cache/foliocheck/` under a hash of the source (no prebuilt binary is ever shipped).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Why the kernel cannot be observed here (exit 4, kselftest's KSFT_SKIP): one line saying what is missing. */
export class KernelUnobservable extends Error {
  override name = 'KernelUnobservable';
}

/** The package root: the directory holding `native/`, from src/kernel or dist/src/kernel. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'native', 'foliocheck-kernel.c'))) return dir;
    dir = dirname(dir);
  }
  throw new KernelUnobservable('the native helper source native/foliocheck-kernel.c is missing');
}

/** The path of the built helper, compiling it if this source has not been built yet. */
export function helperBinary(): string {
  const root = packageRoot();
  const source = join(root, 'native', 'foliocheck-kernel.c');
  const text = readFileSync(source);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const dir = resolve(root, 'node_modules', '.cache', 'foliocheck');
  const bin = join(dir, `foliocheck-kernel-${hash}`);
  if (existsSync(bin)) return bin;
  const cc = process.env.CC ?? 'cc';
  if (spawnSync(cc, ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new KernelUnobservable(`no C compiler (${cc}) to build the native helper`);
  }
  mkdirSync(dir, { recursive: true });
  // Built under a temporary name and renamed: two first uses at once never run a half-written binary.
  const tmp = `${bin}.${process.pid}`;
  const r = spawnSync(cc, ['-O2', '-Wall', '-Wno-infinite-recursion', '-o', tmp, source], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building ${source} failed:\n${r.stderr}`);
  renameSync(tmp, bin);
  return bin;
}

/** What is missing to observe the kernel here, or undefined when it can be observed. */
export function missingForObservation(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root (pagemap hides PFNs)';
  for (const f of ['/proc/kpagecount', '/proc/kpageflags', '/proc/self/pagemap']) {
    if (!existsSync(f)) return `${f} does not exist`;
  }
  if (!existsSync('/sys/kernel/mm/transparent_hugepage')) return 'no /sys/kernel/mm/transparent_hugepage';
  return undefined;
}
