/**
 * `model.fit` in the kernel: live per-epoch progress and a per-epoch history with Keras
 * metric names, and Stop (an `interrupt` message) that lands after the current batch, keeps
 * completed epochs and ends the run with `interrupted: true`. Uses the real src/rnn layers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DisplayMessage, HistoryBundle, ProgressBundle } from '../../src/contract/protocol';
import { startKernel, type Harness } from './kernel-harness';

let h: Harness;
beforeAll(async () => {
  // Yield after every batch, so the interrupt test does not depend on batch duration.
  h = await startKernel({ yieldIntervalMs: 0, progressIntervalMs: 0 });
  await h.exec(`const model = tf.sequential();
model.add(rnn.embedding({ inputDim: 50, outputDim: 4, inputLength: 6 }));
model.add(rnn.lstm({ units: 3 }));
model.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
model.compile({ optimizer: rnn.adam(), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const xs = tf.randomUniform([80, 6], 0, 50, 'int32');
const ys = tf.randomUniform([80, 1]).round();`);
});
afterAll(() => h.dispose());

const displays = (msgs: unknown[]) => msgs.filter((m): m is DisplayMessage => (m as DisplayMessage).type === 'display');

describe('fit progress and history', () => {
  it('shows a progress line per epoch and a history updated per epoch, with Keras names', async () => {
    const out = await h.exec('const hist = await model.fit(xs, ys, { epochs: 3, batchSize: 16, validationSplit: 0.2 });\nhist');
    expect(out.error).toBeUndefined();
    const ds = displays(out.messages);
    const progress = ds.filter((d) => d.bundle.kind === 'progress');
    const ids = [...new Set(progress.map((d) => d.displayId))];
    expect(ids).toHaveLength(3);
    for (const [i, id] of ids.entries()) {
      const lines = progress.filter((d) => d.displayId === id).map((d) => d.bundle as ProgressBundle);
      expect(lines.every((b) => b.epoch === i + 1 && b.epochs === 3 && b.steps === 4)).toBe(true);
      expect(lines.map((b) => b.step)).toEqual([0, 1, 2, 3, 4, 4]);
      const last = lines[lines.length - 1];
      expect(last.done).toBe(true);
      expect(Object.keys(last.logs)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
      expect(Object.keys(lines[2].logs)).toEqual(['loss', 'accuracy']);
    }
    const histories = ds.filter((d) => d.bundle.kind === 'history');
    expect(new Set(histories.map((d) => d.displayId)).size).toBe(1);
    expect(histories.map((d) => (d.bundle as HistoryBundle).epochs)).toEqual([[1], [1, 2], [1, 2, 3]]);
    // Outputs come in order: epoch 1's line is done before the history first appears.
    const firstHistory = out.messages.indexOf(histories[0]);
    const epoch1Done = out.messages.findIndex((m) => m.type === 'display' && m.bundle.kind === 'progress' && m.bundle.done);
    expect(epoch1Done).toBeLessThan(firstHistory);
    const result = out.result?.bundle as HistoryBundle;
    expect(result.kind).toBe('history');
    expect(result.epochs).toEqual([1, 2, 3]);
    expect(Object.keys(result.metrics)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    expect(result.metrics.loss).toEqual((histories[2].bundle as HistoryBundle).metrics.loss);
  });

  it('keeps the reader callbacks working alongside', async () => {
    const out = await h.exec(
      'const seen = [];\nawait model.fit(xs, ys, { epochs: 2, batchSize: 40, callbacks: { onEpochEnd: (e, logs) => seen.push([e, typeof logs.loss]) } });\nseen',
    );
    expect(out.result?.bundle).toEqual({ kind: 'text', text: "[[0, 'number'], [1, 'number']]" });
  });
});

describe('validation', () => {
  it('gives the values tfjs computes (evaluate with the same batches, after the same epoch)', async () => {
    const out = await h.exec(`const xv = tf.randomUniform([50, 6], 0, 50, 'int32');
const yv = tf.randomUniform([50, 1]).round();
const vh = await model.fit(xs, ys, { epochs: 1, batchSize: 16, validationData: [xv, yv] });
const [el, ea] = model.evaluate(xv, yv, { batchSize: 16 });
[vh.history.val_loss[0] === el.dataSync()[0], vh.history.val_acc[0] === ea.dataSync()[0], vh.params.doValidation]`);
    expect(out.error).toBeUndefined();
    expect(out.result?.bundle).toEqual({ kind: 'text', text: '[true, true, true]' });
  });

  it('yields between batches: a Stop during validation ends fit and drops that epoch', async () => {
    // A metric that says when validation starts: 5 training batches (80 / 16), then validation.
    let sent = false;
    h.onMessage = (m) => {
      if (!sent && m.type === 'stream' && m.text === 'validating\n') {
        sent = true;
        h.kernel.handle({ type: 'interrupt' });
      }
    };
    const out = await h.exec(`let probeCalls = 0;
const probe = (yTrue, yPred) => { if (++probeCalls === 6) console.log('validating'); return tf.mean(yPred); };
const m2 = tf.sequential();
m2.add(rnn.embedding({ inputDim: 50, outputDim: 4, inputLength: 6 }));
m2.add(rnn.lstm({ units: 3 }));
m2.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
m2.compile({ optimizer: rnn.adam(), loss: 'binaryCrossentropy', metrics: [probe] });
const xv2 = tf.randomUniform([64, 6], 0, 50, 'int32');
const yv2 = tf.randomUniform([64, 1]).round();
await m2.fit(xs, ys, { epochs: 2, batchSize: 16, validationData: [xv2, yv2] });
console.log('not reached');`);
    h.onMessage = undefined;
    expect(sent).toBe(true);
    expect(out.reply).toMatchObject({ type: 'result', interrupted: true });
    // The custom metric is not fused: its one-time notice comes first (src/rnn/train/notice.ts).
    expect(out.text).toMatch(/^Slow training: .*\(a metric other than \(binary\) accuracy\).*\nvalidating\n$/);
    const ds = displays(out.messages);
    const lines = ds.filter((d) => d.bundle.kind === 'progress').map((d) => d.bundle as ProgressBundle);
    const last = lines[lines.length - 1];
    expect(last).toMatchObject({ epoch: 1, step: 5, steps: 5, done: false, stopped: true });
    expect(Object.keys(last.logs).some((k) => k.startsWith('val_'))).toBe(false);
    const histories = ds.filter((d) => d.bundle.kind === 'history');
    expect(histories.every((d) => (d.bundle as HistoryBundle).epochs.length === 0)).toBe(true);
    // Validation stopped after its first batch, not after all four.
    const after = await h.exec('probeCalls');
    expect(after.result?.bundle).toEqual({ kind: 'text', text: '6' });
  });
});

describe('calls that cannot stop midway', () => {
  it('evaluate and predict on many samples say so before and after; small ones do not', async () => {
    const out = await h.exec(`const xb = tf.randomUniform([600, 6], 0, 50, 'int32');
const yb = tf.randomUniform([600, 1]).round();
tf.dispose(model.evaluate(xb, yb, { batchSize: 64 }));
tf.dispose(model.predict(xb));
tf.dispose(model.predict(xs));
'ok'`);
    expect(out.error).toBeUndefined();
    const busy = out.messages.filter((m) => m.type === 'busy').map((m) => (m as { what: string | null }).what);
    expect(busy).toEqual(['model.evaluate on 600 samples', null, 'model.predict on 600 samples', null]);
    expect(out.messages[out.messages.length - 1]).toBe(out.reply);
  });
});

describe('interrupt', () => {
  it('stops fit after the current batch, keeps completed epochs, and answers interrupted', async () => {
    let sent = false;
    h.onMessage = (m) => {
      if (sent || m.type !== 'display' || m.bundle.kind !== 'progress') return;
      if (m.bundle.epoch === 2 && m.bundle.step === 1) {
        sent = true;
        // Delivered while batch 1's progress is being reported, as a message event from the
        // page would be at the next yield. (A timer here raced the batches under CPU load.)
        h.kernel.handle({ type: 'interrupt' });
      }
    };
    const out = await h.exec('const stopped = await model.fit(xs, ys, { epochs: 5, batchSize: 4 });\nconsole.log("not reached");');
    h.onMessage = undefined;
    expect(out.reply).toMatchObject({ type: 'result', interrupted: true });
    expect(out.result?.bundle).toBeUndefined();
    expect(out.text).not.toContain('not reached');
    const ds = displays(out.messages);
    const epoch2 = ds.filter((d) => d.bundle.kind === 'progress' && (d.bundle as ProgressBundle).epoch === 2);
    const last = epoch2[epoch2.length - 1].bundle as ProgressBundle;
    expect(last.stopped).toBe(true);
    expect(last.done).toBe(false);
    expect(last.step).toBeGreaterThanOrEqual(1);
    expect(last.step).toBeLessThan(last.steps);
    expect(ds.some((d) => d.bundle.kind === 'progress' && (d.bundle as ProgressBundle).epoch === 3)).toBe(false);
    const histories = ds.filter((d) => d.bundle.kind === 'history');
    expect((histories[histories.length - 1].bundle as HistoryBundle).epochs).toEqual([1]);
    // The reply comes after every display of the run.
    expect(out.messages[out.messages.length - 1]).toBe(out.reply);
  });

  it('leaves the model trainable and the kernel usable', async () => {
    const out = await h.exec('const again = await model.fit(xs, ys, { epochs: 1, batchSize: 40 });\nagain.epoch.length');
    expect(out.result?.bundle).toEqual({ kind: 'text', text: '1' });
  });

  it('stops plain code at its next await', async () => {
    let sent = false;
    h.onMessage = (m) => {
      if (!sent && m.type === 'stream' && m.text === 'waiting\n') {
        sent = true;
        setTimeout(() => h.kernel.handle({ type: 'interrupt' }), 0);
      }
    };
    const out = await h.exec(
      'console.log("waiting");\nawait new Promise((r) => { const t = setTimeout(r, 60000); t.unref?.(); });\nconsole.log("after");',
    );
    h.onMessage = undefined;
    expect(out.reply).toMatchObject({ type: 'result', interrupted: true });
    expect(out.text).toBe('waiting\n');
  });

  it('cancels executes queued behind the interrupted one', async () => {
    let sent = false;
    h.onMessage = (m) => {
      if (!sent && m.type === 'stream' && m.text === 'first\n') {
        sent = true;
        setTimeout(() => h.kernel.handle({ type: 'interrupt' }), 0);
      }
    };
    const a = h.send('console.log("first");\nawait new Promise((r) => { const t = setTimeout(r, 60000); t.unref?.(); });');
    const b = h.send('console.log("second")');
    await h.kernel.whenIdle();
    h.onMessage = undefined;
    const replies = h.messages.filter((m) => (m.type === 'result' || m.type === 'error') && [a, b].includes(m.runId));
    expect(replies).toEqual([
      expect.objectContaining({ type: 'result', runId: a, interrupted: true }),
      expect.objectContaining({ type: 'result', runId: b, interrupted: true, executionCount: 0 }),
    ]);
    expect(h.messages.some((m) => m.type === 'stream' && m.text === 'second\n')).toBe(false);
  });
});
