/**
 * A macrotask yield for long-running work in the worker. Awaiting a promise only queues a
 * microtask, which never lets the worker's `message` event (an `interrupt`) in; a message
 * posted on a fresh MessageChannel is a task, so the event loop handles pending messages
 * first. `setTimeout(0)` would do the same but nested timeouts are clamped to 4 ms, which
 * would add seconds to an epoch of hundreds of batches.
 */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
