/**
 * The Web Worker entry: a thin adapter from `self.onmessage` to the Kernel. No DOM, and no
 * static import of tfjs or src/rnn: both load with dynamic `import()` on the first execute,
 * so the page ships no tfjs before the reader presses Run.
 *
 * The page creates it with
 *   new Worker(new URL('../kernel/worker.ts', import.meta.url), { type: 'module' })
 * then posts `{ type: 'init', base, version }` and `execute` messages (contract/protocol.ts).
 */
import { guardCallbacks, type GuardedGlobal } from './callbacks';
import { Kernel } from './kernel';
import type { FromKernel } from '../contract/protocol';

const scope = self as unknown as {
  postMessage(msg: FromKernel): void;
  onmessage: ((e: MessageEvent) => void) | null;
};

const kernel = new Kernel({
  post: (msg) => scope.postMessage(msg),
  load: async () => {
    const [tf, rnn] = await Promise.all([import('@tensorflow/tfjs'), import('../rnn/index')]);
    return { tf, rnn };
  },
});

// Errors in callbacks a cell leaves behind are shown in its cell, not fatal (callbacks.ts).
guardCallbacks(self as unknown as GuardedGlobal, kernel.callbackHost());
// A listener, not `onmessage`: a cell that sets `self.onmessage = null` must not deafen the kernel.
self.addEventListener('message', (e) => kernel.handle((e as MessageEvent).data));
// `self.close()` in a cell would end the kernel silently; Restart is the way to do that.
(self as unknown as { close(): void }).close = () => {
  throw new Error('self.close() would shut the kernel down; use Restart in the notebook bar instead.');
};
