/**
 * The queue is first in, first out over any interleaving of pushes and pops, in memory and spilling to
 * files; a spilled chunk's file is deleted once the queue has read it, and a checkpoint dump lists exactly
 * the states still queued.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { Frontier } from './frontier.js';
import { SpillDir } from './spill.js';

const parent = mkdtempSync(join(tmpdir(), 'foliocheck-frontier-test-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

const W = 2;

/** Runs bursts of pushes (positive) and pops (negative) on a queue and a plain array; compares them. */
function run(q: Frontier, bursts: readonly number[], afterEach?: (burst: number) => void): void {
  const model: number[] = [];
  let head = 0; // model[head..] is queued
  let next = 0;
  const src = new Uint32Array(W);
  const wrong: string[] = [];
  for (const b of bursts) {
    if (b > 0) {
      for (let k = 0; k < b; k++) {
        src[0] = next;
        src[1] = next ^ 0xabcdef;
        q.push(src, 0);
        model.push(next++);
      }
    } else {
      for (let k = 0; k < -b && head < model.length; k++) {
        const want = model[head++] as number;
        const c = q.pop();
        const o = q.lastOffset;
        if (c[o] !== want || c[o + 1] !== (want ^ 0xabcdef)) wrong.push(`${want}: got ${c[o]}`);
      }
    }
    if (q.length !== model.length - head) wrong.push(`length ${q.length}, expected ${model.length - head}`);
    afterEach?.(b);
  }
  expect(wrong).toEqual([]);
  const d = q.dump();
  expect(Array.from({ length: d.length / W }, (_, k) => d[W * k])).toEqual(model.slice(head));
}

const bursts = fc.array(fc.oneof(fc.integer({ min: 1, max: 30_000 }), fc.integer({ min: -30_000, max: -1 })), {
  maxLength: 25,
});

describe('Frontier', () => {
  test.prop([bursts], { numRuns: 20 })('FIFO in memory', (b) => {
    run(new Frontier(W), b);
  });

  test.prop([bursts], { numRuns: 20 })('FIFO spilling, files deleted as read', (b) => {
    const spill = new SpillDir(parent);
    const q = new Frontier(W, spill);
    run(q, b);
    // Drained, no chunk file is left (the directory itself goes with the search).
    while (q.length > 0) q.pop();
    const dir = spill.path;
    expect(dir === undefined ? [] : readdirSync(dir)).toEqual([]);
    spill.remove();
    expect(readdirSync(parent)).toEqual([]);
  });

  it('spills past its in-memory chunks and reads back in order', () => {
    const spill = new SpillDir(parent);
    const q = new Frontier(W, spill);
    const onDisk: number[] = [];
    run(q, [100_000, -30_000, 100_000, -1_000_000], () => {
      onDisk.push(spill.path === undefined ? 0 : readdirSync(spill.path).length);
    });
    expect(onDisk[2]).toBeGreaterThan(0);
    expect(onDisk[3]).toBe(0);
    spill.remove();
  });
});
