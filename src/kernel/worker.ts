/**
 * The Web Worker entry: a thin adapter from `self.onmessage` to the Kernel. No DOM, and no
 * static import of tfjs or src/rnn: both load with dynamic `import()` on the first execute,
 * so the page ships no tfjs before the reader presses Run.
 *
 * The page creates it with
 *   new Worker(new URL('../kernel/worker.ts', import.meta.url), { type: 'module' })
 * then posts `{ type: 'init', base: import.meta.env.BASE_URL }` and `execute` messages.
 */
import { Kernel } from './kernel';
import type { FromKernel } from './protocol';

const scope = self as unknown as {
  postMessage(msg: FromKernel): void;
  onmessage: ((e: MessageEvent) => void) | null;
};

const kernel = new Kernel({
  post: (msg) => scope.postMessage(msg),
  load: async () => {
    const [tf, rnn] = await Promise.all([import('@tensorflow/tfjs'), import('../rnn/index')]);
    return { tf, rnn: rnn as unknown as Record<string, unknown> };
  },
});

scope.onmessage = (e) => kernel.handle(e.data);
