/**
 * Benchmark worker for Chromium (the real target runs the library in the notebook's kernel
 * Web Worker). Bundled twice by bench/browser/build.ts: with src/rnn (fused) and without it
 * (stock tfjs, whose kernels must stay unpatched). Receives a WorkloadConfig, posts a result.
 */
import * as tf from '@tensorflow/tfjs';
import { runWorkload, type RnnLike, type WorkloadConfig } from '../workload';

declare const RNN_BUNDLE: boolean;

async function loadRnn(): Promise<RnnLike | null> {
  if (RNN_BUNDLE) return (await import('../../src/rnn/index')) as unknown as RnnLike;
  return null;
}

self.onmessage = async (ev: MessageEvent<WorkloadConfig>) => {
  try {
    const cfg = ev.data;
    const rnn = await loadRnn();
    if (rnn) {
      if (!(await tf.setBackend(cfg.backend ?? 'cpu'))) throw new Error(`backend ${cfg.backend} is not available`);
      await (rnn as unknown as { ready(): Promise<void> }).ready();
    } else {
      await tf.ready(); // stock: tfjs's own backend choice (webgl when available)
    }
    const mark = (label: 'start' | 'end', repeat: number) => (self as unknown as Worker).postMessage({ mark: label, repeat });
    const result = await runWorkload(tf, rnn, cfg, { now: () => performance.now(), mark });
    (self as unknown as Worker).postMessage({ ok: true, result });
  } catch (e) {
    (self as unknown as Worker).postMessage({ ok: false, error: String((e as Error)?.stack ?? e) });
  }
};
