/**
 * The spill directory of a search: where the predecessors and the breadth-first queue go once they outgrow
 * their small in-memory buffers, so that a long search keeps only its visited-state table resident (TLC
 * keeps its trace and queue on disk the same way).
 *
 * The directory is made inside `parent` (the system's temporary directory unless `--spill-dir` names one)
 * at the first file a search writes, so small searches touch no disk, and removed with its files when the
 * search ends on any path: the search's own `finally` (an end, a bound, an interrupt, an exception, an
 * allocation failure), and a process exit hook for a second SIGINT or SIGTERM, which exits at once.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Spill directories not yet removed, for the exit hook. */
const live = new Set<SpillDir>();
let hooked = false;

export class SpillDir {
  private readonly parent: string;
  private dir: string | undefined;
  private readonly fds = new Set<number>();

  /** `parent`: where the directory is made (default: the system's temporary directory). */
  constructor(parent?: string) {
    this.parent = parent ?? tmpdir();
  }

  /** The directory, once a file was made in it. */
  get path(): string | undefined {
    return this.dir;
  }

  /** The path of a file `name` in the directory, made now if it is the first. */
  file(name: string): string {
    return join(this.make(), name);
  }

  /**
   * The directory, made now if it is not yet: the parallel search makes its own before the workers start,
   * and each worker makes its directory inside it, so that the coordinator removes them all at once.
   */
  make(): string {
    if (this.dir === undefined) {
      mkdirSync(this.parent, { recursive: true });
      this.dir = mkdtempSync(join(this.parent, 'foliocheck-spill-'));
      live.add(this);
      if (!hooked) {
        hooked = true;
        process.on('exit', () => {
          for (const d of live) d.remove();
        });
      }
    }
    return this.dir;
  }

  /** Opens file `name` for reading and writing (created empty); closed by `remove` unless closed before. */
  open(name: string): number {
    const fd = openSync(this.file(name), 'w+');
    this.fds.add(fd);
    return fd;
  }

  close(fd: number): void {
    if (this.fds.delete(fd)) closeSync(fd);
  }

  /** Closes the open files and removes the directory; the search can spill again afterwards. */
  remove(): void {
    for (const fd of this.fds) closeSync(fd);
    this.fds.clear();
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    live.delete(this);
  }
}
