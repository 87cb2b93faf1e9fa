/**
 * One worker of the parallel search (parallel.ts): owns the states whose hash falls in its part, expands
 * them level by level, and exchanges successors with the other workers in batches over MessagePorts.
 *
 * Records and messages: parallelExchange.ts. A worker done with its own part of a level takes states from
 * the part of one that is not (work stealing), so that a level ends when the work is done, not when the
 * slowest worker has done its half.
 *
 * Over 300 lines: expanding, exchanging, stealing, the bounds (states counted as stored, the tables' next
 * doubling published for the memory bound) and the checkpoint's part (written and restored:
 * parallelCheckpoint.ts) share one level's local state, which a split would only pass around by closure.
 */
import { type MessagePort, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { Frontier } from './frontier.js';
import { hashPair, hashWords, SEED_LO } from './hash.js';
import {
  type CoordinatorCommand,
  CTRL_STOP,
  ctrlEdges,
  ctrlExpanded,
  ctrlLeft,
  ctrlStates,
  ctrlTotal,
  STOP_PAUSE,
  type SystemRecipe,
  type WorkerReport,
} from './parallel.js';
import { readWorkerPart, writeWorkerPart } from './parallelCheckpoint.js';
import {
  ACTION,
  BATCH_RECORDS,
  type Batch,
  DRAIN_EVERY,
  EXTRA,
  HI,
  LO,
  type Loot,
  MAX_LOOT,
  MIN_STEAL,
  Outbox,
  ownerOf,
  PARENT_ID,
  PARENT_WORKER,
  type PeerMessage,
  PREPARED,
} from './parallelExchange.js';
import { Predecessors, packOwner, unpackOwner } from './predecessors.js';
import { SpillDir } from './spill.js';
import { ExactStore, FingerprintStore, type StateStore } from './stateStore.js';
import type { StepFailure, TransitionSystem } from './transitionSystem.js';
import { isAllocationFailure } from './verdict.js';

interface WorkerInit {
  readonly recipe: SystemRecipe;
  readonly index: number;
  readonly workers: number;
  readonly mode: 'exact' | 'fingerprint';
  /** --max-states: every worker counts the states it stores in one shared word and stops at the bound. */
  readonly maxStates?: number;
  readonly ctrl: Int32Array;
  /** Per worker: the bytes (KiB) its tables allocate at their next doubling. */
  readonly growth: Int32Array;
  readonly sendPorts: (MessagePort | null)[];
  readonly recvPorts: (MessagePort | null)[];
  /** Start from this worker's part of the checkpoint at this path (parallelCheckpoint.ts). */
  readonly resume?: string;
  /**
   * The search's spill directory (spill.ts), made and removed by the coordinator: this worker's predecessors
   * and queue spill to a directory of its own inside it. Without it they stay in memory.
   */
  readonly spillDir?: string;
  /** For tests of the load balancing: microseconds to idle before each expansion (a slower core). */
  readonly handicapMicros?: number;
}

async function run(init: WorkerInit): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('parallelWorker: not in a worker thread');
  type Make = (args: unknown) => TransitionSystem<unknown> | Promise<TransitionSystem<unknown>>;
  const mod = (await import(init.recipe.module)) as Record<string, Make>;
  const make = mod[init.recipe.exportName];
  if (make === undefined) throw new Error(`parallelWorker: ${init.recipe.module} has no ${init.recipe.exportName}`);
  const sys = await make(init.recipe.args);
  const me = init.index;
  const n = init.workers;
  const w = sys.stateWords;
  const rec = w + EXTRA;
  const exact = init.mode === 'exact' ? new ExactStore(w) : undefined;
  const store: StateStore = exact ?? new FingerprintStore(w);
  const spill = init.spillDir !== undefined ? new SpillDir(init.spillDir) : undefined;
  const frontier = exact === undefined ? new Frontier(w, spill) : undefined;
  // Ids are stored in order (store.add), so the predecessors spill as the one-thread search's do.
  const preds = new Predecessors(spill);
  if (packOwner(sys.actionCount - 1, n - 1, n) > 0xffffffff) {
    throw new Error(`parallel search: ${sys.actionCount} actions on ${n} workers do not fit a predecessor's word`);
  }
  const setPred = (id: number, pw: number, pid: number, action: number): void =>
    preds.set(id, pid, packOwner(action, pw, n));
  const ctrl = init.ctrl;
  const publishGrowth = (): void => {
    Atomics.store(init.growth, me, (store.growthBytes() + preds.growthBytes()) >>> 10);
  };
  const scratch = new Uint32Array(w);
  // One expansion's own successors, as records like the outboxes' (the hash after the words, for prepare):
  // at most one per action instance.
  const batch = new Uint32Array(Math.max(1, sys.actionCount) * rec);
  // `hashPair` writes a record's halves at k and k + 1 of `batch`: hi through a view one word further on.
  const batchHi = batch.subarray(1);
  const acts = new Int32Array(Math.max(1, sys.actionCount));
  const outboxes = Array.from({ length: n }, () => new Outbox(rec));

  // The initial state belongs to its owner.
  sys.writeInitial(scratch, 0);
  // Coverage counts the transitions this worker explores (the coordinator sums every worker's).
  sys.resetCoverage?.();
  const maxStates = init.maxStates;
  const total = ctrlTotal(n);
  let cursor = 0; // exact mode: next local id to expand
  let popped = 0; // fingerprint mode: states popped, the id of the next one
  let levelEnd = 0; // the id where the level being expanded ends
  let midLevel = false; // resumed in the middle of a level: go on with it up to levelEnd
  let edges = 0;
  let stolen = 0; // other workers' states expanded here (work stealing)
  if (init.resume !== undefined) {
    const part = readWorkerPart(init.resume, me, init.mode, w);
    const p = part.position;
    if (exact !== undefined) for (let id = 0; id < p.size; id++) exact.add(part.states, id * w);
    else (store as FingerprintStore).restore(part.states, p.size);
    for (let id = 0; id < p.size; id++) {
      setPred(id, part.parentWorker[id] as number, part.parentId[id] as number, part.parentAction[id] as number);
    }
    if (frontier !== undefined && part.queue !== undefined) {
      for (let o = 0; o < part.queue.length; o += w) frontier.push(part.queue, o);
    }
    if (exact !== undefined) cursor = p.cursor;
    else popped = p.cursor;
    ({ levelEnd, midLevel, edges } = p);
    stolen = p.stolen ?? 0;
    sys.loadCounters?.(p.counters);
    Atomics.add(ctrl, total, p.size);
    Atomics.store(ctrl, ctrlExpanded(me), p.cursor);
    Atomics.store(ctrl, ctrlEdges(me), edges);
  } else if (ownerOf(hashWords(scratch, 0, w, SEED_LO), n) === me) {
    store.add(scratch, 0);
    Atomics.add(ctrl, total, 1);
    setPred(0, -1, -1, 0);
    frontier?.push(scratch, 0);
  }
  Atomics.store(ctrl, ctrlStates(me), store.size);

  let violation: { id: number; invariant: number } | undefined;
  let failure: { worker: number; id: number; action: number; f: StepFailure } | undefined;
  let allocationFailed: string | undefined;
  let stopped = false;
  // Asked to pause (a checkpointed stop): the level ends early, but what is sent is still stored.
  let paused = false;
  // The level's new states (a resumed level: those it had stored before the pause).
  let newStates = midLevel ? store.size - levelEnd : 0;

  /**
   * Stores the `k`th state of the batch the store prepared last (at `src[at..]`) with its predecessor, and
   * checks it if it is new (loading it: the loaded state is the last one checked, not an expanded one).
   */
  const addNew = (src: Uint32Array, k: number, at: number, pw: number, pid: number, action: number): void => {
    const id = store.addPrepared(src, k);
    if (id < 0) return;
    newStates += 1;
    setPred(id, pw, pid, action);
    frontier?.push(src, at);
    // The bound on every worker at once: the worker that stores the last state stops them all.
    if (maxStates !== undefined && Atomics.add(ctrl, total, 1) + 1 >= maxStates) {
      stopped = true;
      Atomics.store(ctrl, CTRL_STOP, 1);
    }
    if (violation !== undefined) return;
    sys.load(src, at);
    const v = sys.check();
    if (v >= 0) violation = { id, invariant: v };
  };

  const flush = (to: number): void => {
    const box = outboxes[to] as Outbox;
    if (box.records === 0) return;
    const m: PeerMessage = { type: 'batch', buf: box.buf, records: box.records, from: me };
    (init.sendPorts[to] as MessagePort).postMessage(m, [box.buf.buffer]);
    box.next();
  };

  const handicap = init.handicapMicros ?? 0;
  /**
   * Expands one state, its successors' parent being (`pw`, `pid`): this worker's own state, or one taken
   * from another worker's part of the level. False if the search stops (a failing step, a bound).
   */
  const expandOne = (src: Uint32Array, at: number, pw: number, pid: number): boolean => {
    if (handicap > 0) for (const until = performance.now() + handicap / 1000; performance.now() < until; );
    // This worker's own successors go into `batch` and are stored after the expansion, their probes
    // together (store.prepare: explore.ts); the others' go to their outboxes as they are made.
    let i = 0;
    let own = 0;
    let failed: unknown;
    try {
      sys.load(src, at);
      for (; i < sys.actionCount; i++) {
        // Made in place as the next own record; moved to an outbox if another worker owns it.
        const at = own * rec;
        if (!sys.successor(i, batch, at)) continue;
        edges += 1;
        hashPair(batch, at, w, batch, batchHi, at + w + LO);
        const owner = ownerOf(batch[at + w + LO] as number, n);
        if (owner === me) {
          acts[own] = i;
          own += 1;
          continue;
        }
        const box = outboxes[owner] as Outbox;
        const buf = box.buf;
        const o = box.records * rec;
        // A loop, not `set()`: a builtin call costs more than a few words' copy.
        for (let j = 0; j < w + HI + 1; j++) buf[o + j] = batch[at + j] as number;
        buf[o + w + PARENT_WORKER] = pw;
        buf[o + w + PARENT_ID] = pid;
        buf[o + w + ACTION] = i;
        box.records += 1;
        if (box.records === BATCH_RECORDS) flush(owner);
      }
    } catch (e) {
      failed = e;
    }
    let k = 0;
    try {
      if (own > 0) store.prepare(batch, own, rec, 0, w + LO);
      for (; k < own && !stopped; k++) addNew(batch, k, k * rec, pw, pid, acts[k] as number);
    } catch (e) {
      // Storing or checking the successor of action acts[k] failed: it comes before any failing step.
      failed = e;
      i = acts[k] as number;
    }
    if (failed !== undefined) {
      if (isAllocationFailure(failed)) {
        allocationFailed = `allocation failed: ${failed.message}`;
      } else if (failure === undefined) {
        failure = { worker: pw, id: pid, action: i, f: sys.classify(failed) };
      }
      stopped = true;
    }
    return !stopped;
  };

  /** Reads CTRL_STOP: false if the search is to stop or pause now. */
  const goOn = (): boolean => {
    const stop = Atomics.load(ctrl, CTRL_STOP);
    if (stop === STOP_PAUSE) paused = true;
    else if (stop !== 0) stopped = true;
    return stop === 0;
  };

  // The level's own states not yet expanded nor given away, while expandLevel runs (the part others steal).
  let left = 0;
  let inLevel = false;
  /** The next own state of the level: its words at `next.src[next.at..]`, its id `next.id`. */
  const next: { src: Uint32Array; at: number; id: number } = { src: batch, at: 0, id: 0 };
  const popOwn = (): void => {
    left -= 1;
    if (exact !== undefined) {
      next.src = exact.chunk(cursor);
      next.at = exact.offset(cursor);
      next.id = cursor++;
    } else {
      next.src = (frontier as Frontier).pop();
      next.at = (frontier as Frontier).lastOffset;
      // In fingerprint mode a state's id is its order of storing, which is its order of popping.
      next.id = popped++;
    }
  };

  const expandLevel = (): void => {
    // Every state stored is expanded or queued, and ids are in order of storing, so a level ends at the
    // store's size when it starts, in both modes (a resumed level: where it ended before the pause).
    if (midLevel) midLevel = false;
    else {
      levelEnd = store.size;
      newStates = 0;
    }
    let expanded = 0;
    left = levelEnd - (exact !== undefined ? cursor : popped);
    inLevel = true;
    Atomics.store(ctrl, ctrlLeft(me), left);
    try {
      while (left > 0) {
        popOwn();
        if (!expandOne(next.src, next.at, me, next.id)) return;
        expanded += 1;
        // Between two expansions (a received state is loaded to be checked), take in what the others sent
        // (held until the level's end, their batches were most of a parallel search's memory) and answer
        // their requests for work.
        if ((expanded & (DRAIN_EVERY - 1)) === 0) {
          drain();
          Atomics.store(ctrl, ctrlLeft(me), left);
        }
        if ((expanded & 1023) === 0) {
          Atomics.store(ctrl, ctrlStates(me), store.size);
          Atomics.store(ctrl, ctrlEdges(me), edges);
          Atomics.add(ctrl, ctrlExpanded(me), 1024);
          publishGrowth();
          if (!goOn()) return;
        }
      }
      Atomics.add(ctrl, ctrlExpanded(me), expanded & 1023);
    } finally {
      inLevel = false;
      Atomics.store(ctrl, ctrlLeft(me), 0);
    }
  };

  /**
   * Another worker (`to`), done with its own part of the level, asks for work: it gets up to half of what
   * this worker has left (from the front of its part: exact mode expands in id order, fingerprint mode pops
   * its queue), each state's words and id, or nothing once too little is left to be worth a message. The
   * states given are counted as expanded here (`cursor`, `popped`): the taker expands them before it ends
   * the level, so a checkpoint taken at a pause never misses them.
   */
  const answerSteal = (to: number): void => {
    const give = inLevel && left >= MIN_STEAL ? Math.min(MAX_LOOT, left >>> 1) : 0;
    const loot = new Uint32Array(give * (w + 1));
    for (let g = 0; g < give; g++) {
      popOwn();
      const o = g * (w + 1);
      for (let j = 0; j < w; j++) loot[o + j] = next.src[next.at + j] as number;
      loot[o + w] = next.id;
    }
    Atomics.store(ctrl, ctrlLeft(me), inLevel ? left : 0);
    const m: PeerMessage = { type: 'loot', buf: loot, states: give, from: me };
    (init.sendPorts[to] as MessagePort).postMessage(m, [loot.buffer]);
  };

  let lootWaiter: ((m: Loot) => void) | undefined;
  /**
   * Work stealing: once this worker has expanded its own part of the level, it takes states from the
   * worker with most left of its part, expands them (their successors' parent is that worker's state), and
   * asks again, until no worker has MIN_STEAL states left. Levels end together, so without it the faster
   * of two unequal cores waited at every level's end (16-22% of its time on this project's machines).
   */
  const stealWork = async (): Promise<void> => {
    while (!stopped && !paused && goOn()) {
      let victim = -1;
      let most = MIN_STEAL - 1;
      for (let v = 0; v < n; v++) {
        const l = v === me ? 0 : Atomics.load(ctrl, ctrlLeft(v));
        if (l > most) {
          most = l;
          victim = v;
        }
      }
      if (victim < 0) return;
      (init.sendPorts[victim] as MessagePort).postMessage({ type: 'steal', from: me } satisfies PeerMessage);
      const loot = await new Promise<Loot>((resolve) => (lootWaiter = resolve));
      // Every state given is expanded, even past a pause: its owner counts it as expanded already.
      for (let g = 0; g < loot.states && !stopped; g++) {
        const o = g * (w + 1);
        if (!expandOne(loot.buf, o, loot.from, loot.buf[o + w] as number)) break;
        stolen += 1;
        if (((g + 1) & (DRAIN_EVERY - 1)) === 0) drain();
      }
      Atomics.add(ctrl, ctrlExpanded(me), loot.states);
    }
  };

  // Batches from the other workers for the level being exchanged, and the end-of-level marks. A batch
  // that arrives before this worker has started its own part of the level waits: its states belong to the
  // next level, and stored now they would be counted into this one and expanded in it. Once the level's end
  // is fixed, expandLevel takes them in between expansions (drain).
  let eolSeen = 0;
  let eolWaiter: (() => void) | undefined;
  let receiving = false;
  const pending: Batch[] = [];
  /** Stores a batch's records, then gives its buffer back to the worker that sent it, to be filled again. */
  const take = (m: Batch): void => {
    receive(m.buf, m.records * rec);
    const back: PeerMessage = { type: 'free', buf: m.buf, from: me };
    (init.sendPorts[m.from] as MessagePort).postMessage(back, [m.buf.buffer]);
  };
  const receive = (buf: Uint32Array, end: number): void => {
    if (stopped) return;
    let r = 0; // the record being stored: the one a failure names
    try {
      // In runs of PREPARED records, their probes together (store.prepare).
      for (let o = 0; o < end && !stopped; o += PREPARED * rec) {
        const count = Math.min(PREPARED, (end - o) / rec);
        store.prepare(buf, count, rec, o, w + LO);
        r = o;
        for (let k = 0; k < count && !stopped; k++, r += rec) {
          addNew(
            buf,
            k,
            r,
            buf[r + w + PARENT_WORKER] as number,
            buf[r + w + PARENT_ID] as number,
            buf[r + w + ACTION] as number,
          );
        }
      }
    } catch (e) {
      if (isAllocationFailure(e)) allocationFailed = `allocation failed: ${e.message}`;
      else if (failure === undefined) {
        failure = {
          worker: buf[r + w + PARENT_WORKER] as number,
          id: buf[r + w + PARENT_ID] as number,
          action: buf[r + w + ACTION] as number,
          f: sys.classify(e),
        };
      }
      stopped = true;
    }
  };
  /** The answer to this worker's request for work (stealWork awaits it). */
  const gotLoot = (m: Loot): void => {
    const wake = lootWaiter;
    lootWaiter = undefined;
    wake?.(m);
  };
  /**
   * Takes in, now, every batch, mark and request the other workers have sent (between two expansions).
   */
  const drain = (): void => {
    for (const m of pending.splice(0)) take(m);
    for (const p of init.recvPorts) {
      if (p === null) continue;
      for (let r = receiveMessageOnPort(p); r !== undefined; r = receiveMessageOnPort(p)) {
        const m = r.message as PeerMessage;
        if (m.type === 'batch') take(m);
        else if (m.type === 'free') (outboxes[m.from] as Outbox).free.push(m.buf);
        else if (m.type === 'steal') answerSteal(m.from);
        else if (m.type === 'loot') gotLoot(m);
        else eolSeen += 1;
      }
    }
  };
  const onMessage = (m: PeerMessage): void => {
    if (m.type === 'batch') {
      if (receiving) take(m);
      else pending.push(m);
      return;
    }
    if (m.type === 'free') {
      (outboxes[m.from] as Outbox).free.push(m.buf);
      return;
    }
    if (m.type === 'steal') {
      answerSteal(m.from);
      return;
    }
    if (m.type === 'loot') {
      gotLoot(m);
      return;
    }
    eolSeen += 1;
    if (eolSeen === n - 1 && eolWaiter !== undefined) {
      const wake = eolWaiter;
      eolWaiter = undefined;
      wake();
    }
  };
  for (const p of init.recvPorts) p?.on('message', onMessage);

  port.on('message', async (cmd: CoordinatorCommand) => {
    if (cmd.type === 'exit') {
      spill?.remove();
      for (const p of [...init.sendPorts, ...init.recvPorts]) p?.close();
      port.close();
      return;
    }
    if (cmd.type === 'save') {
      // Spilled predecessors are read back for it (as the one-thread checkpoint does).
      const { parent, action } = preds.dump(store.size);
      const parentWorker = new Int16Array(store.size);
      for (let id = 0; id < store.size; id++) {
        const u = unpackOwner(action[id] as number, n);
        parentWorker[id] = u.owner;
        action[id] = u.action;
      }
      const bytes = writeWorkerPart(cmd.dir, me, {
        position: {
          ...{ size: store.size, cursor: exact !== undefined ? cursor : popped, levelEnd },
          ...{ midLevel: cmd.midLevel, edges, stolen, counters: sys.saveCounters?.() },
        },
        states: exact !== undefined ? exact.dump() : (store as FingerprintStore).dump(),
        parentWorker,
        parentId: parent,
        parentAction: action,
        ...(frontier !== undefined ? { queue: frontier.dump() } : {}),
      });
      port.postMessage({ type: 'saved', bytes } satisfies WorkerReport);
      return;
    }
    if (cmd.type === 'pred') {
      const [id, word] = preds.get(cmd.id);
      const { owner, action } = unpackOwner(word, n);
      const r: WorkerReport = { type: 'pred', worker: owner, id, action };
      port.postMessage(r);
      return;
    }
    expandLevel();
    // The level's end is fixed: what the others send now is stored as it comes, while this worker helps
    // them with their parts.
    receiving = true;
    for (const m of pending.splice(0)) take(m);
    if (n > 1) await stealWork();
    for (let to = 0; to < n; to++) {
      if (to === me) continue;
      flush(to);
      (init.sendPorts[to] as MessagePort).postMessage({ type: 'eol' });
    }
    if (eolSeen < n - 1) await new Promise<void>((resolve) => (eolWaiter = resolve));
    receiving = false;
    eolSeen = 0;
    Atomics.store(ctrl, ctrlStates(me), store.size);
    Atomics.store(ctrl, ctrlEdges(me), edges);
    publishGrowth();
    const report: WorkerReport = {
      type: 'level-done',
      states: store.size,
      edges,
      newStates,
      stolen,
      stopped: stopped || paused,
      ...(violation !== undefined ? { violation } : {}),
      ...(failure !== undefined ? { failure } : {}),
      ...(allocationFailed !== undefined ? { allocationFailed } : {}),
      ...(sys.coverageCounts !== undefined ? { coverage: sys.coverageCounts() } : {}),
    };
    port.postMessage(report);
  });
  port.postMessage({ type: 'ready' } satisfies WorkerReport);
}

run(workerData as WorkerInit).catch((e: unknown) => {
  parentPort?.postMessage({
    type: 'fatal',
    message: e instanceof Error ? (e.name === 'CheckpointError' ? e.message : (e.stack ?? e.message)) : String(e),
    ...(e instanceof Error && e.name === 'CheckpointError' ? { checkpoint: true } : {}),
  } satisfies WorkerReport);
});
