/**
 * A macrotask yield for long-running work in the worker. Awaiting a promise only queues a
 * microtask, which never lets the worker's `message` event (an `interrupt`) in; a message
 * posted on a fresh MessageChannel is a task, so the event loop handles pending messages
 * first. `setTimeout(0)` would do the same but nested timeouts are clamped to 4 ms, which
 * would add seconds to an epoch of hundreds of batches.
 *
 * A fresh channel per yield, on purpose: messages queued on one long-lived port can be
 * delivered several to a task (Node drains up to 1,000 per turn; Blink batches too), so a
 * loop that yields through a shared port can starve timers and the `interrupt` message.
 * (Measured: a shared port saved ~0.5 ms per yield in Chromium under load, <1% of an epoch at
 * one yield per 40 ms, and made `for (;;) { await 0 }` take 60 s to stop in Node.)
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
