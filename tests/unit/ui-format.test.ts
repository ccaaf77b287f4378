/** Keras-like text formatting of the notebook outputs (pure functions, Node). */
import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatEta,
  formatExponent,
  formatMetric,
  formatStepTime,
  orderMetricNames,
  progressLine,
  progressText,
  toFixedPy,
} from '../../src/ui/output/format';
import { summaryModel } from '../../src/ui/output/summary';
import { chartGroups, historyModel } from '../../src/ui/output/history-model';
import { loadText } from '../../src/ui/output/load';
import { errorText } from '../../src/ui/output/error';

describe('Keras number formats', () => {
  it('counts with thousands separators', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatCount(320766)).toBe('320,766');
    expect(formatCount(1234567890)).toBe('1,234,567,890');
  });

  it('weight sizes like readable_memory_size', () => {
    // Python: readable_memory_size(320766 * 4) == '1.22 MB'
    expect(formatBytes(320766 * 4)).toBe('1.22 MB');
    expect(formatBytes(0)).toBe('0.00 B');
    expect(formatBytes(1023)).toBe('1023.00 B');
    expect(formatBytes(1024)).toBe('1.00 KB');
    // Python rounds the exact tie 10.125 to even: '10.12 KB'
    expect(formatBytes(2592 * 4)).toBe('10.12 KB');
    expect(toFixedPy(0.125, 2)).toBe('0.12');
    expect(toFixedPy(0.375, 2)).toBe('0.38');
    expect(toFixedPy(1.005, 2)).toBe('1.00'); // 1.005 is really 1.00499999…
    expect(toFixedPy(0.5, 0)).toBe('0');
  });

  it('metrics with 4 decimals, tiny ones in Python exponent form', () => {
    expect(formatMetric(0.46381)).toBe('0.4638');
    expect(formatMetric(0.78184)).toBe('0.7818');
    expect(formatMetric(0.000123)).toBe('1.2300e-04');
    expect(formatMetric(0)).toBe('0.0000e+00');
    expect(formatExponent(12345)).toBe('1.2345e+04');
    expect(formatMetric(NaN)).toBe('nan');
  });

  it('step time and ETA like Progbar', () => {
    expect(formatStepTime(0.034)).toBe('34ms/step');
    expect(formatStepTime(2.2)).toBe('2s/step');
    expect(formatStepTime(0.0005)).toBe('500us/step');
    expect(formatEta(7.9)).toBe('7s');
    expect(formatEta(65)).toBe('1:05');
    expect(formatEta(3723)).toBe('1:02:03');
  });

  it('orders metrics: training then validation', () => {
    const names = ['val_loss', 'loss', 'val_accuracy', 'accuracy'];
    expect(orderMetricNames(names, false)).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(orderMetricNames(names, true)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
  });
});

describe('progress line', () => {
  const logs = { loss: 0.4638, accuracy: 0.7818, val_loss: 0.38, val_accuracy: 0.83 };

  it('matches the Keras 3 line at the end of an epoch', () => {
    const text = progressText({ step: 782, steps: 782, elapsedMs: 27_000, logs, done: true });
    expect(text).toBe(
      '782/782 ━━━━━━━━━━━━━━━━━━━━ 27s 35ms/step - accuracy: 0.7818 - loss: 0.4638 - val_accuracy: 0.8300 - val_loss: 0.3800',
    );
  });

  it('shows the ETA and a partial bar during the epoch', () => {
    const l = progressLine({ step: 391, steps: 782, elapsedMs: 13_294, logs: { loss: 0.5 }, done: false });
    expect(l.counter).toBe('391/782');
    expect(l.filled).toBe(10);
    expect(l.timing).toBe('13s 34ms/step');
    expect(l.metrics).toBe(' - loss: 0.5000');
    const early = progressLine({ step: 3, steps: 782, elapsedMs: 300, logs: {}, done: false });
    expect(early.counter).toBe('  3/782');
    expect(early.filled).toBe(0);
    expect(early.timing).toBe('1:17 100ms/step');
  });
});

describe('summary table model', () => {
  it('has Keras columns and totals lines', () => {
    const m = summaryModel({
      kind: 'summary',
      modelName: 'sequential',
      rows: [
        { layer: 'embedding (Embedding)', outputShape: '(None, 100, 32)', params: 320000 },
        { layer: 'lstm (LSTM)', outputShape: '(None, 5)', params: 760 },
        { layer: 'dense (Dense)', outputShape: '(None, 1)', params: 6 },
      ],
      totalParams: 320766,
      trainableParams: 320766,
      nonTrainableParams: 0,
      totalBytes: 320766 * 4,
      trainableBytes: 320766 * 4,
      nonTrainableBytes: 0,
    });
    expect(m.caption).toBe('Model: "sequential"');
    expect(m.columns).toEqual(['Layer (type)', 'Output Shape', 'Param #']);
    expect(m.rows[0]).toEqual(['embedding (Embedding)', '(None, 100, 32)', '320,000']);
    expect(m.totals).toEqual([
      'Total params: 320,766 (1.22 MB)',
      'Trainable params: 320,766 (1.22 MB)',
      'Non-trainable params: 0 (0.00 B)',
    ]);
  });

  it('adds Connected to for functional models', () => {
    const m = summaryModel({
      kind: 'summary',
      modelName: 'functional',
      rows: [{ layer: 'input_layer (InputLayer)', outputShape: '(None, 10)', params: 0, connectedTo: '-' }],
      totalParams: 0,
      trainableParams: 0,
      nonTrainableParams: 0,
      totalBytes: 0,
      trainableBytes: 0,
      nonTrainableBytes: 0,
    });
    expect(m.columns.at(-1)).toBe('Connected to');
  });
});

describe('history model', () => {
  const b = {
    kind: 'history' as const,
    epochs: [1, 2],
    metrics: { val_accuracy: [0.5, 0.75], accuracy: [0.6, 0.8], loss: [0.69, 0.5], val_loss: [0.7, 0.55] },
  };
  it('one row per epoch: epoch, loss, metrics, val_ metrics', () => {
    const m = historyModel(b);
    expect(m.columns).toEqual(['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy']);
    expect(m.rows).toEqual([
      ['1', '0.6900', '0.6000', '0.7000', '0.5000'],
      ['2', '0.5000', '0.8000', '0.5500', '0.7500'],
    ]);
  });
  it('groups losses and accuracies into chart panels', () => {
    expect(chartGroups(b)).toEqual([
      { title: 'Loss', names: ['loss', 'val_loss'] },
      { title: 'Accuracy', names: ['accuracy', 'val_accuracy'] },
    ]);
  });
});

describe('other texts', () => {
  it('load progress label', () => {
    expect(loadText({ kind: 'load', label: 'imdb train', loaded: 1024, total: 2048, done: false })).toBe(
      'imdb train: 1.00 KB / 2.00 KB',
    );
    expect(loadText({ kind: 'load', label: 'x', loaded: 10, done: true })).toBe('x: 10.00 B — done');
  });
  it('error text names line and column', () => {
    expect(errorText({ ename: 'TypeError', evalue: 'x is not a function', line: 3, column: 7, traceback: ['at <cell>:3:7'] })).toBe(
      'TypeError: x is not a function\n(line 3, column 7 of this cell)\nat <cell>:3:7',
    );
  });
});

describe('history de-duplication', () => {
  it('treats histories with the same epochs and values as the same', async () => {
    const { sameHistory } = await import('../../src/ui/output/output-area');
    const a = { kind: 'history' as const, epochs: [1, 2], metrics: { loss: [0.5, 0.4], accuracy: [0.6, 0.7] } };
    expect(sameHistory(a, { kind: 'history', epochs: [1, 2], metrics: { accuracy: [0.6, 0.70000001], loss: [0.5, 0.4] } })).toBe(true);
    expect(sameHistory(a, { kind: 'history', epochs: [1, 2, 3], metrics: a.metrics })).toBe(false);
    expect(sameHistory(a, { kind: 'history', epochs: [1, 2], metrics: { loss: [0.5, 0.41], accuracy: [0.6, 0.7] } })).toBe(false);
    expect(sameHistory(a, { kind: 'history', epochs: [1, 2], metrics: { loss: [0.5, 0.4] } })).toBe(false);
  });
});
