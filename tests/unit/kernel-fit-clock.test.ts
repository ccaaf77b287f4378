/**
 * The fit instrumentation (src/kernel/fit.ts) against an injected clock: progress lines are
 * posted at most every `progressIntervalMs`, the worker yields a macrotask at most every
 * `yieldIntervalMs` (not after every batch), the running means and the final line carry the
 * right numbers, and an interrupt seen at a yield stops fit after the current batch.
 * The clock only moves when the test moves it (a reader callback advances it per batch).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { instrumentFit, type FitHost } from '../../src/kernel/fit';
import { KeyboardInterrupt } from '../../src/kernel/interrupt';
import type { DisplayBundle, ProgressBundle } from '../../src/contract/protocol';

let clock = 0;
let yields = 0;
let interrupted = false;
let shown: { bundle: DisplayBundle; id: string }[] = [];
let onYield: (() => void) | null = null;

const host: FitHost = {
  runId: () => 1,
  display: (bundle, id) => shown.push({ bundle, id }),
  interrupted: () => interrupted,
  track: () => {},
  macrotask: async () => {
    yields++;
    onYield?.();
  },
  now: () => clock,
  yieldIntervalMs: 40,
  progressIntervalMs: 100,
};

beforeAll(async () => {
  await tf.setBackend('cpu');
  instrumentFit(tf, host);
});

function reset(): void {
  clock = 0;
  yields = 0;
  interrupted = false;
  shown = [];
  onYield = null;
}

function tinyModel(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 1, inputShape: [3], activation: 'sigmoid' }));
  m.compile({ optimizer: tf.train.sgd(0.1), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return m;
}

const data = () => [tf.randomNormal([64, 3], 0, 1, 'float32', 1), tf.randomUniform([64, 1], 0, 1, 'float32', 2).round()] as const;

describe('fit instrumentation with an injected clock', () => {
  it('throttles progress lines and yields by the clock, and ends with the epoch numbers', async () => {
    reset();
    const [x, y] = data();
    const batchLosses: number[] = [];
    // 16 batches of 4; the clock moves 30 ms per batch (before our callback sees it).
    const hist = await tinyModel().fit(x, y, {
      epochs: 1,
      batchSize: 4,
      shuffle: false,
      callbacks: {
        onBatchEnd: async (_b, logs) => {
          clock += 30;
          batchLosses.push(logs!.loss);
        },
      },
    });
    const lines = shown.filter((s) => s.bundle.kind === 'progress').map((s) => s.bundle as ProgressBundle);
    // One at epoch begin, then every 4th batch (120 ms >= 100 ms), then the final line.
    expect(lines.map((l) => l.step)).toEqual([0, 4, 8, 12, 16, 16]);
    // A yield every 2nd batch (60 ms >= 40 ms) and one at the epoch's end, not one per batch.
    expect(yields).toBe(8 + 1);
    // Running mean at step 8 = mean of the first 8 batch losses (all batches have 4 samples).
    const at8 = lines.find((l) => l.step === 8)!;
    const mean8 = batchLosses.slice(0, 8).reduce((a, b) => a + b, 0) / 8;
    expect(at8.logs.loss).toBeCloseTo(mean8, 5);
    expect(Object.keys(at8.logs)).toEqual(['loss', 'accuracy']);
    expect(at8.elapsedMs).toBe(8 * 30);
    const last = lines[lines.length - 1];
    expect(last.done).toBe(true);
    expect(last.logs.loss).toBeCloseTo(hist.history.loss[0] as number, 6);
    expect(last.logs.accuracy).toBeCloseTo(hist.history.acc[0] as number, 6);
    tf.dispose([x, y]);
  });

  it('stops after the current batch when an interrupt arrives at a yield', async () => {
    reset();
    const [x, y] = data();
    let batches = 0;
    // The interrupt "arrives" during the yield after batch 6 (clock 180 ms; yields every 2 batches).
    onYield = () => {
      if (batches === 6) interrupted = true;
    };
    const run = tinyModel().fit(x, y, {
      epochs: 3,
      batchSize: 4,
      callbacks: {
        onBatchEnd: async () => {
          batches++;
          clock += 30;
        },
      },
    });
    await expect(run).rejects.toBeInstanceOf(KeyboardInterrupt);
    expect(batches).toBe(6);
    const lines = shown.filter((s) => s.bundle.kind === 'progress').map((s) => s.bundle as ProgressBundle);
    const last = lines[lines.length - 1];
    expect(last).toMatchObject({ epoch: 1, step: 6, stopped: true, done: false });
    expect(shown.some((s) => s.bundle.kind === 'history')).toBe(false);
    tf.dispose([x, y]);
  });
});

describe('fit instrumentation when epochs are shorter than the progress interval', () => {
  it('posts every epoch’s final line but the whole history only when due and once at the end', async () => {
    reset();
    const [x, y] = data();
    // 60 epochs of one batch; 10 ms per epoch, so ten epochs per 100 ms interval.
    const hist = await tinyModel().fit(x, y, {
      epochs: 60,
      batchSize: 64,
      callbacks: { onEpochEnd: async () => void (clock += 10) },
    });
    const done = shown.filter((s) => s.bundle.kind === 'progress' && (s.bundle as ProgressBundle).done);
    expect(done.map((s) => (s.bundle as ProgressBundle).epoch)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const histories = shown.filter((s) => s.bundle.kind === 'history');
    // Due at 0 ms, then every 100 ms of the 600 (the clock moves after our callback), plus the final one.
    expect(histories.length).toBeLessThanOrEqual(8);
    expect(histories.length).toBeGreaterThanOrEqual(2);
    const last = histories.at(-1)!.bundle as { epochs: number[]; metrics: Record<string, number[]> };
    expect(last.epochs).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(last.metrics.loss).toEqual(hist.history.loss);
    // Empty "epoch begins" lines only when due: far fewer than one per epoch.
    const begins = shown.filter((s) => s.bundle.kind === 'progress' && (s.bundle as ProgressBundle).step === 0 && !(s.bundle as ProgressBundle).done);
    expect(begins.length).toBeLessThanOrEqual(8);
    x.dispose();
    y.dispose();
  });
});
