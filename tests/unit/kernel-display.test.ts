/**
 * What the kernel shows for values: Keras-style summaries with exact numbers (stock tf.layers
 * and src/rnn layers), `model.summary()` as a bundle, tensors exactly as `tensor.print()`,
 * readable text for arrays and objects, strings as they are.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summaryText } from '../../src/kernel/summary';
import { formatBytes } from '../../src/contract/keras-format';
import { inspect } from '../../src/kernel/inspect';
import type { SummaryBundle } from '../../src/contract/protocol';
import { startKernel, type Harness } from './kernel-harness';

let h: Harness;
beforeAll(async () => {
  h = await startKernel();
});
afterAll(() => h.dispose());

const STOCK = `const model = tf.sequential();
model.add(tf.layers.embedding({ inputDim: 10000, outputDim: 32, inputLength: 100 }));
model.add(tf.layers.lstm({ units: 5 }));
model.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
model`;

describe('model summaries', () => {
  it('summarise a stock tf.layers model with Keras names and exact counts', async () => {
    const out = await h.exec(STOCK, 'stock');
    const b = out.result?.bundle as SummaryBundle;
    expect(b.kind).toBe('summary');
    expect(b.modelName).toMatch(/^sequential(_\d+)?$/);
    expect(b.rows).toEqual([
      { layer: expect.stringMatching(/^embedding(_\d+)? \(Embedding\)$/), outputShape: '(None, 100, 32)', params: 320000 },
      { layer: expect.stringMatching(/^lstm(_\d+)? \(LSTM\)$/), outputShape: '(None, 5)', params: 760 },
      { layer: expect.stringMatching(/^dense(_\d+)? \(Dense\)$/), outputShape: '(None, 1)', params: 6 },
    ]);
    expect([b.totalParams, b.trainableParams, b.nonTrainableParams]).toEqual([320766, 320766, 0]);
    expect([b.totalBytes, b.trainableBytes, b.nonTrainableBytes]).toEqual([320766 * 4, 320766 * 4, 0]);
    expect(formatBytes(b.totalBytes)).toBe('1.22 MB');
    expect(formatBytes(0)).toBe('0.00 B');
    expect(summaryText(b)).toContain(' Total params: 320,766 (1.22 MB)');
  });

  it('name stock layers like Keras: first lstm, then lstm_1', async () => {
    const out = await h.exec(
      'const m2 = tf.sequential();\nm2.add(tf.layers.lstm({units: 3, inputShape: [4, 2], returnSequences: true}));\nm2.add(tf.layers.lstm({units: 2}));\nm2',
    );
    const rows = (out.result?.bundle as SummaryBundle).rows.map((r) => r.layer);
    const [a, b] = rows.map((r) => /^(lstm(?:_(\d+))?) \(LSTM\)$/.exec(r));
    expect(a && b).toBeTruthy();
    expect(Number(b![2] ?? 0)).toBe(Number(a![2] ?? 0) + 1);
  });

  it('summarise src/rnn layers with their Keras names and class names', async () => {
    const out = await h.exec(
      "rnn.resetLayerNames();\nconst net = tf.sequential();\nnet.add(rnn.embedding({ inputDim: 10000, outputDim: 32, inputLength: 100 }));\nnet.add(rnn.lstm({ units: 5 }));\nnet.add(rnn.dense({ units: 1, activation: 'sigmoid' }));\nnet",
    );
    const b = out.result?.bundle as SummaryBundle;
    expect(b.rows).toEqual([
      { layer: 'embedding (Embedding)', outputShape: '(None, 100, 32)', params: 320000 },
      { layer: 'lstm (LSTM)', outputShape: '(None, 5)', params: 760 },
      { layer: 'dense (Dense)', outputShape: '(None, 1)', params: 6 },
    ]);
    expect(b.totalParams).toBe(320766);
  });

  it('turn model.summary() into a summary display, and a printFn into Keras text', async () => {
    const out = await h.exec('model.summary();\nconst lines = [];\nmodel.summary(undefined, undefined, (l) => lines.push(l));\nlines.join("\\n")', 'stock');
    const displays = out.messages.filter((m) => m.type === 'display');
    expect(displays).toHaveLength(1);
    expect(displays[0].type === 'display' && displays[0].bundle.kind).toBe('summary');
    const text = (out.result?.bundle as { text: string }).text;
    expect(text).toMatch(/^Model: "sequential(_\d+)?"/);
    expect(text).toContain('│ (None, 100, 32)        │       320,000 │');
    expect(text).toContain(' Non-trainable params: 0 (0.00 B)');
  });

  it('summarise functional models with their inputs and connections', async () => {
    const out = await h.exec(
      "const inp = tf.input({shape: [6]});\nconst hid = tf.layers.dense({units: 4, name: 'hidden'}).apply(inp);\nconst fm = tf.model({inputs: inp, outputs: tf.layers.dense({units: 1, name: 'out'}).apply(hid)});\nfm",
    );
    const b = out.result?.bundle as SummaryBundle;
    expect(b.rows.map((r) => [r.layer.replace(/^input\S*/, 'input'), r.outputShape, r.params, r.connectedTo])).toEqual([
      ['input (InputLayer)', '(None, 6)', 0, '-'],
      ['hidden (Dense)', '(None, 4)', 28, expect.stringMatching(/^input\S*\[0\]\[0\]$/)],
      ['out (Dense)', '(None, 1)', 5, 'hidden[0][0]'],
    ]);
  });
});

describe('tensors and other values', () => {
  it('print tensors exactly as tensor.print() does', async () => {
    const printed: string[] = [];
    const t = tf.tensor([[1.5, 2], [3, 4]]);
    const original = console.log;
    // The kernel captures the console, so read print() through a one-off replacement.
    console.log = (s: string) => printed.push(s);
    try {
      t.print();
    } finally {
      console.log = original;
      t.dispose();
    }
    const out = await h.exec('tf.tensor([[1.5, 2], [3, 4]])');
    expect(out.result?.bundle).toEqual({ kind: 'text', text: printed[0] });
    expect(printed[0]).toBe('Tensor\n    [[1.5, 2],\n     [3  , 4]]');
  });

  it('show strings as they are and structures readably, truncating long arrays', async () => {
    expect((await h.exec('"line one\\nline two"')).result?.bundle).toEqual({ kind: 'text', text: 'line one\nline two' });
    const big = (await h.exec('Array.from({length: 25000}, (_, i) => i)')).result?.bundle as { text: string };
    expect(big.text).toContain('... 24900 more items');
    expect(big.text.split(',').length).toBeLessThan(120);
    const obj = (await h.exec("({name: 'imdb', sizes: [25000, 25000], nested: {deep: {deeper: {deepest: {x: 1}}}}})")).result?.bundle;
    // Longer than 80 characters on one line, so it is broken over lines; depth stops at 3.
    expect(obj).toEqual({
      kind: 'text',
      text: "{\n  name: 'imdb',\n  sizes: [25000, 25000],\n  nested: { deep: { deeper: { deepest: [Object] } } }\n}",
    });
  });

  it('describe tensors inside structures', () => {
    const t = tf.tensor([1, 2]);
    const text = inspect({ t }, { describe: (v) => (v instanceof tf.Tensor ? 'T' : undefined) });
    t.dispose();
    expect(text).toBe('{ t: T }');
  });

  it('display(value) posts a display and returns nothing', async () => {
    const out = await h.exec('display([1, 2, 3]);\ndisplay(tf.scalar(3));');
    const bundles = out.messages.filter((m) => m.type === 'display').map((m) => m.type === 'display' && m.bundle);
    expect(bundles).toEqual([
      { kind: 'text', text: '[1, 2, 3]' },
      { kind: 'text', text: 'Tensor\n    3' },
    ]);
    expect(out.result?.bundle).toBeUndefined();
  });
});
