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
    // Lets the engine optimize the WebAssembly kernels in the background now, not during the
    // reader's first epoch (src/rnn/kernels/warm-up.ts). In a task of its own, so the first
    // cell starts first and the warm-up runs while it waits (e.g. for its data).
    setTimeout(() => {
      try {
        rnn.warmUp();
      } catch {
        // Only a head start: the kernels work the same without it.
      }
    }, 0);
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
