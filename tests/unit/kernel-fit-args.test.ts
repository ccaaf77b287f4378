/**
 * Keras habits in `compile` / `fit` / `evaluate` / `predict` in the kernel (the audit of a
 * student's session): arguments tfjs would silently ignore are refused by name, `verbose` is
 * Keras's, Keras metric names work on the History and in callbacks, Keras loss names compile,
 * a model that falls off the fused step says why and what to write, and the history display
 * comes after the progress lines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DisplayMessage, FromKernel, HistoryBundle, ProgressBundle } from '../../src/contract/protocol';
import { epochLine } from '../../src/kernel/fit';
import { startKernel, type Harness } from './kernel-harness';

let h: Harness;
beforeAll(async () => {
  h = await startKernel({ yieldIntervalMs: 0, progressIntervalMs: 0 });
  await h.exec(`const build = (opts = {}) => {
  const m = tf.sequential();
  m.add(rnn.embedding({ inputDim: 50, outputDim: 4, inputLength: 6 }));
  if (opts.dropout) m.add(tf.layers.dropout({ rate: 0.2 }));
  m.add(rnn.lstm({ units: 3 }));
  m.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
  m.compile({ optimizer: opts.optimizer ?? rnn.adam(), loss: opts.loss ?? 'binaryCrossentropy', metrics: opts.metrics ?? ['accuracy'] });
  return m;
};
const model = build();
const xs = tf.randomUniform([80, 6], 0, 50, 'int32');
const ys = tf.randomUniform([80, 1]).round();`);
});
afterAll(() => h.dispose());

const displays = (msgs: FromKernel[]) => msgs.filter((m): m is DisplayMessage => m.type === 'display');
const kinds = (msgs: FromKernel[], kind: string) => displays(msgs).filter((d) => d.bundle.kind === kind);

describe('arguments tfjs would ignore are refused by name', () => {
  const refused: [string, string][] = [
    ['await model.fit(xs, ys, { validation_split: 0.5 })', "fit: unrecognized keyword argument 'validation_split' (use tfjs camelCase spelling, e.g. 'validationSplit')."],
    ['await model.fit(xs, ys, { batch_size: 128 })', "fit: unrecognized keyword argument 'batch_size' (use tfjs camelCase spelling, e.g. 'batchSize')."],
    ['await model.fit(xs, ys, { epochs: 1, validation_freq: 2 })', "fit: unrecognized keyword argument 'validation_freq'. Known arguments: batchSize"],
    ['await model.fit(xs, ys, 32, 2)', 'pass { batchSize, epochs }'],
    ['await model.fit(xs, ys, { verbose: 3 })', "fit: verbose must be 0, 1, 2 or 'auto'"],
    ['model.evaluate(xs, ys, { batch_size: 16 })', "evaluate: unrecognized keyword argument 'batch_size' (use tfjs camelCase spelling, e.g. 'batchSize')."],
    ['model.evaluate(xs, ys, 16)', 'pass { batchSize }'],
    ['model.predict(xs, { batch_size: 16 })', "predict: unrecognized keyword argument 'batch_size' (use tfjs camelCase spelling, e.g. 'batchSize')."],
    ['model.predict(xs, 16)', 'pass { batchSize }'],
    ["build().compile({ optimizer: 'adam', loss: 'binaryCrossentropy', loss_weights: [1] })", "compile: unrecognized keyword argument 'loss_weights'. Known arguments: optimizer, loss, metrics."],
    ["build({ metrics: ['mean_squared_error'] })", "compile: metric 'mean_squared_error' is spelled 'mse' in tfjs"],
  ];
  for (const [code, message] of refused) {
    it(code, async () => {
      const out = await h.exec(code);
      expect(out.error?.evalue).toContain(message);
      expect(kinds(out.messages, 'progress')).toHaveLength(0);
    });
  }

  it('accepts the tfjs spellings and Keras verbose values', async () => {
    const out = await h.exec(`await model.fit(xs, ys, { batchSize: 40, epochs: 1, verbose: 'auto', validationSplit: 0.5, shuffle: true });
[model.evaluate(xs, ys, { batchSize: 40, verbose: 0 }).length, model.predict(xs, { batchSize: 40 }).shape]`);
    expect(out.error).toBeUndefined();
    expect(out.result?.bundle).toEqual({ kind: 'text', text: '[2, [80, 1]]' });
    const last = kinds(out.messages, 'progress').map((d) => d.bundle as ProgressBundle).pop()!;
    expect(last.steps).toBe(1); // 40 samples after the split, batchSize 40
    expect(Object.keys(last.logs)).toContain('val_loss');
  });
});

describe('verbose', () => {
  it('verbose: 0 shows nothing (Keras is silent); the returned History still displays', async () => {
    const out = await h.exec('const quiet = await model.fit(xs, ys, { epochs: 2, batchSize: 40, verbose: 0 });\nquiet');
    expect(out.error).toBeUndefined();
    expect(kinds(out.messages, 'progress')).toHaveLength(0);
    expect(kinds(out.messages, 'history')).toHaveLength(0);
    expect(out.text).toBe('');
    expect((out.result?.bundle as HistoryBundle).epochs).toEqual([1, 2]);
  });

  it('verbose: 2 prints one Keras line per epoch, no progress bar', async () => {
    const out = await h.exec('await model.fit(xs, ys, { epochs: 2, batchSize: 16, verbose: 2, validationSplit: 0.5 });');
    expect(out.error).toBeUndefined();
    expect(kinds(out.messages, 'progress')).toHaveLength(0);
    const lines = out.text.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('Epoch 1/2');
    expect(lines[1]).toMatch(/^3\/3 - \d+s - \d+(ms|us|s)\/step - accuracy: \d\.\d{4} - loss: \d\.\d{4} - val_accuracy: \d\.\d{4} - val_loss: \d\.\d{4}$/);
    expect(lines[2]).toBe('Epoch 2/2');
    // The history table comes once, after the lines.
    const histories = kinds(out.messages, 'history');
    expect(histories).toHaveLength(1);
    expect((histories[0].bundle as HistoryBundle).epochs).toEqual([1, 2]);
  });

  it('the verbose-2 line is formatted as Keras 3 formats it', () => {
    expect(epochLine(782, 782, 27_400, { loss: 0.46381, acc: 0.5, val_loss: 0.0001234, accuracy: 0.78184 })).toBe(
      '782/782 - 27s - 35ms/step - acc: 0.5000 - accuracy: 0.7818 - loss: 0.4638 - val_loss: 1.2340e-04',
    );
    expect(epochLine(3, 30, 3, {})).toBe(' 3/30 - 0s - 1ms/step');
    // Keras compares abs(value) with 1e-3, as the page's progress lines do (a cosine loss is negative).
    expect(epochLine(1, 1, 1000, { loss: -0.5 })).toBe('1/1 - 1s - 1s/step - loss: -0.5000');
  });
});

describe('Keras metric names on the History and in callbacks', () => {
  it('history.history.accuracy and logs.accuracy work, listed once', async () => {
    const out = await h.exec(`const seen = [];
const hist = await model.fit(xs, ys, { epochs: 2, batchSize: 40, validationSplit: 0.5, callbacks: {
  onEpochEnd: (e, logs) => seen.push([typeof logs.accuracy, typeof logs.val_accuracy, logs.accuracy === logs.acc, Object.keys(logs).join()]),
  onBatchEnd: (b, logs) => { if (b === 0) seen.push([typeof logs.accuracy]); },
} });
JSON.stringify([hist.history.accuracy === hist.history.acc, hist.history.val_accuracy === hist.history.val_acc, hist.history.accuracy.length, Object.keys(hist.history).join(), JSON.stringify(hist.history).includes('accuracy'), seen])`);
    expect(out.error).toBeUndefined();
    expect(out.result?.bundle).toEqual({
      kind: 'text',
      text: '[true,true,2,"loss,acc,val_loss,val_acc",false,[["number"],["number","number",true,"loss,acc,val_loss,val_acc"],["number"],["number","number",true,"loss,acc,val_loss,val_acc"]]]',
    });
  });
});

describe('Keras loss and metric names in compile', () => {
  it("'binary_crossentropy' and 'binary_accuracy' compile to tfjs's functions (still fused), shown with Keras names", async () => {
    const out = await h.exec(`const kerasNamed = build({ loss: 'binary_crossentropy', metrics: ['binary_accuracy'] });
await kerasNamed.fit(xs, ys, { epochs: 1, batchSize: 40 });
rnn.fusedStepInfo(kerasNamed).train`);
    expect(out.error).toBeUndefined();
    expect(out.result?.bundle).toEqual({ kind: 'text', text: 'fused' });
    const last = kinds(out.messages, 'progress').map((d) => d.bundle as ProgressBundle).pop()!;
    expect(Object.keys(last.logs)).toEqual(['loss', 'binary_accuracy']);
    const mse = await h.exec("const r = build({ loss: 'mse', metrics: [] });\nr.loss");
    expect(mse.result?.bundle).toEqual({ kind: 'text', text: 'meanSquaredError' });
  });
});

describe('falling off the fused step is said, once, before the progress', () => {
  it("optimizer 'rmsprop'", async () => {
    const out = await h.exec(`const slow = build({ optimizer: 'rmsprop' });
await slow.fit(xs, ys, { epochs: 1, batchSize: 40 });`);
    expect(out.error).toBeUndefined();
    const warn = out.messages.find((m) => m.type === 'stream' && m.level === 'warn');
    expect(warn && warn.type === 'stream' && warn.text).toBe(
      "Slow training: this model is not trained by the fused step (the optimizer is not Adam (rnn.adam, 'adam' or tf.train.adam): it is 'rmsprop'), " +
        "so fit runs tfjs's op-by-op path, about 30x slower. Use optimizer: 'adam' or rnn.adam({ learningRate }) to train fused.\n",
    );
    expect(out.messages.indexOf(warn!)).toBeLessThan(out.messages.indexOf(kinds(out.messages, 'progress')[0]));
    const again = await h.exec('await slow.fit(xs, ys, { epochs: 1, batchSize: 40 });');
    expect(again.text).toBe('');
  });

  it('a Dropout layer between the embedding and the LSTM names the layer and the fused alternative', async () => {
    const out = await h.exec('const dropped = build({ dropout: true });\nawait dropped.fit(xs, ys, { epochs: 1, batchSize: 40 });\nrnn.fusedStepInfo(dropped).train');
    expect(out.result?.bundle).toEqual({ kind: 'text', text: "layer 'dropout' (Dropout) before the recurrent layer is not supported by the fused step" });
    expect(out.text).toContain("Slow training: this model is not trained by the fused step (layer 'dropout' (Dropout) before the recurrent layer");
    expect(out.text).toContain("Use the recurrent layer's own dropout instead, which stays fused: rnn.lstm({ units, dropout: 0.2 })");
  });

  it('a fused model says nothing', async () => {
    const out = await h.exec('await build().fit(xs, ys, { epochs: 1, batchSize: 40 });');
    expect(out.text).toBe('');
  });
});

describe('output order', () => {
  it('output printed during epoch 1 does not put the history between the epochs: it is posted after epoch 2 starts', async () => {
    const out = await h.exec(`let said = false;
await model.fit(xs, ys, { epochs: 3, batchSize: 40, callbacks: { onBatchEnd: () => { if (!said) { said = true; console.warn('a notice'); } } } });`);
    expect(out.error).toBeUndefined();
    const firstHistory = out.messages.indexOf(kinds(out.messages, 'history')[0]);
    const epoch2 = out.messages.findIndex((m) => m.type === 'display' && m.bundle.kind === 'progress' && m.bundle.epoch === 2);
    expect(epoch2).toBeGreaterThan(0);
    expect(firstHistory).toBeGreaterThan(epoch2);
    expect(kinds(out.messages, 'history').map((d) => (d.bundle as HistoryBundle).epochs)).toEqual([[1], [1, 2], [1, 2, 3]]);
  });
});
