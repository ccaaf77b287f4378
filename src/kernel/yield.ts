/**
 * A macrotask yield for long-running work in the worker. Awaiting a promise only queues a
 * microtask, which never lets the worker's `message` event (an `interrupt`) in; a message
 * posted on a MessageChannel is a task, so the event loop handles pending messages
 * first. `setTimeout(0)` would do the same but nested timeouts are clamped to 4 ms, which
 * would add seconds to an epoch of hundreds of batches.
 *
 * One channel serves every yield (made on first use): creating a MessageChannel per yield
 * cost about 0.5 ms each in Chromium's worker (bench/page.ts --profile), hundreds of times
 * an epoch. Each message posted wakes exactly one waiter, in order.
 */
let channel: { port: MessagePort; waiting: (() => void)[] } | null = null;

export function macrotask(): Promise<void> {
  if (!channel) {
    const { port1, port2 } = new MessageChannel();
    const waiting: (() => void)[] = [];
    port1.onmessage = () => waiting.shift()?.();
    // Node (the unit tests): an open port with a listener would keep the process alive.
    (port1 as unknown as { unref?: () => void }).unref?.();
    channel = { port: port2, waiting };
  }
  const c = channel;
  return new Promise((resolve) => {
    c.waiting.push(resolve);
    c.port.postMessage(null);
  });
}
