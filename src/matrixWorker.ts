/**
 * One worker thread of the matrix (matrix.ts with `workers` > 1): it runs whole (policy, mix) searches, one
 * at a time, as the coordinator hands them out, and sends back each search's verdict and the schemes'
 * figures. The searches are independent, so the table is the same as with one thread: the coordinator
 * assembles the runs in the matrix's own order.
 */
import { parentPort } from 'node:worker_threads';
import { type MatrixTask, type MatrixWorkerMessage, searchMix } from './matrixSearch.js';
import { loadSchemeUrls } from './schemeFile.js';

const port = parentPort;
if (port === null) throw new Error('matrixWorker: not in a worker thread');
const stop = new AbortController();
port.on('message', (m: { type: 'task'; task: MatrixTask } | { type: 'stop' }) => {
  if (m.type === 'stop') {
    stop.abort();
    return;
  }
  const { task } = m;
  loadSchemeUrls(task.schemeFiles)
    .then(() =>
      searchMix(task, stop.signal, (states) =>
        port.postMessage({ type: 'progress', states } satisfies MatrixWorkerMessage),
      ),
    )
    .then((done) => port.postMessage({ type: 'done', done } satisfies MatrixWorkerMessage))
    .catch((e: unknown) =>
      port.postMessage({
        type: 'fatal',
        message: e instanceof Error ? (e.stack ?? e.message) : String(e),
      } satisfies MatrixWorkerMessage),
    );
});
