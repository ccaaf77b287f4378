/**
 * `model.summary()` as data: a Keras-3-style SummaryBundle built from a tfjs LayersModel.
 *
 * Names follow Keras. Layers of `src/rnn` already carry Keras names (`lstm`, `lstm_1`) and a
 * `kerasClassName`; stock tfjs layers are called `lstm_LSTM1`, `lstm_LSTM2`…, which become
 * `lstm`, `lstm_1`…; `sequential_1` becomes `sequential` and `model_1` becomes `functional`.
 * Shapes print as Python tuples, `(None, 100, 32)`. Sizes count 4 bytes per float32 weight.
 */
import type { SummaryBundle, SummaryRow } from '../contract/protocol';
import { formatBytes, formatCount } from '../contract/keras-format';
import { kerasLayerName } from '../rnn/names';

/** The parts of a tfjs Layer the summary reads. */
export interface LayerLike {
  name: string;
  getClassName(): string;
  kerasClassName?: string;
  outputShape: unknown;
  countParams(): number;
  inboundNodes?: { inboundLayers: LayerLike[]; nodeIndices: number[]; tensorIndices: number[] }[];
}

/** The parts of a tfjs weight the summary reads (its shape and dtype). */
export interface WeightLike {
  shape: number[];
  dtype: string;
}

/** The parts of a tfjs LayersModel the summary reads. */
export interface ModelLike {
  name: string;
  layers: LayerLike[];
  getClassName(): string;
  built?: boolean;
  build?(): void;
  trainableWeights: WeightLike[];
  nonTrainableWeights: WeightLike[];
}

/** True for tfjs LayersModel instances (and Sequential), by shape rather than class. */
export function isModelLike(value: unknown): value is ModelLike {
  const v = value as Partial<ModelLike> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray(v.layers) &&
    typeof v.getClassName === 'function' &&
    typeof (v as { compile?: unknown }).compile === 'function'
  );
}

/**
 * The SummaryBundle of a model: one row per layer with Keras names, output shapes and parameter
 * counts, plus the totals (builds an unbuilt Sequential first when it can).
 */
export function summarize(model: ModelLike): SummaryBundle {
  const sequential = model.getClassName() === 'Sequential';
  if (sequential && model.built === false && model.layers.length > 0 && model.build) {
    try {
      model.build();
    } catch {
      // an unbuilt model without an input shape: shapes print as '?'
    }
  }
  const rows: SummaryRow[] = [];
  for (const layer of model.layers) {
    const type = layer.kerasClassName ?? layer.getClassName();
    if (sequential && type === 'InputLayer') continue;
    const row: SummaryRow = {
      layer: `${kerasLayerName(layer)} (${type})`,
      outputShape: formatShape(safe(() => layer.outputShape)),
      params: safe(() => layer.countParams()) ?? 0,
    };
    if (!sequential) row.connectedTo = connections(layer);
    rows.push(row);
  }
  const trainable = count(model.trainableWeights);
  const nonTrainable = count(model.nonTrainableWeights);
  return {
    kind: 'summary',
    modelName: kerasModelName(model),
    rows,
    totalParams: trainable.params + nonTrainable.params,
    trainableParams: trainable.params,
    nonTrainableParams: nonTrainable.params,
    totalBytes: trainable.bytes + nonTrainable.bytes,
    trainableBytes: trainable.bytes,
    nonTrainableBytes: nonTrainable.bytes,
  };
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, string: 0 };

function count(weights: WeightLike[]): { params: number; bytes: number } {
  let params = 0;
  let bytes = 0;
  for (const w of new Set(weights)) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    params += n;
    bytes += n * (DTYPE_BYTES[w.dtype] ?? 4);
  }
  return { params, bytes };
}

/** `sequential_1` -> `sequential`, `sequential_2` -> `sequential_1`, `model_1` -> `functional`. */
export function kerasModelName(model: ModelLike): string {
  const m = /^(sequential|model)_(\d+)$/.exec(model.name);
  if (!m) return model.name;
  const base = m[1] === 'model' ? 'functional' : 'sequential';
  const n = Number(m[2]);
  return n <= 1 ? base : `${base}_${n - 1}`;
}

/** A tfjs shape as Keras prints it: `(None, 100, 32)`; several shapes as a list. */
export function formatShape(shape: unknown): string {
  if (!Array.isArray(shape)) return '?';
  if (shape.length > 0 && shape.every((s) => Array.isArray(s))) {
    return `[${shape.map((s) => formatShape(s)).join(', ')}]`;
  }
  const dims = shape.map((d) => (d === null || d === undefined ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

function connections(layer: LayerLike): string {
  const out: string[] = [];
  for (const node of layer.inboundNodes ?? []) {
    node.inboundLayers.forEach((inbound, i) => {
      out.push(`${kerasLayerName(inbound)}[${node.nodeIndices[i]}][${node.tensorIndices[i]}]`);
    });
  }
  return out.length ? out.join(', ') : '-';
}

/** Plain-text Keras 3 rendering of a SummaryBundle (used when a printFn is given). */
export function summaryText(b: SummaryBundle): string {
  const lines = [`Model: "${b.modelName}"`];
  const cols = ['Layer (type)', 'Output Shape', 'Param #'];
  const w = [
    Math.max(31, ...b.rows.map((r) => r.layer.length)),
    Math.max(22, ...b.rows.map((r) => r.outputShape.length)),
    13,
  ];
  const row = (cells: string[]) =>
    `│ ${cells[0].padEnd(w[0])} │ ${cells[1].padEnd(w[1])} │ ${cells[2].padStart(w[2])} │`;
  lines.push(`┏${w.map((n) => '━'.repeat(n + 2)).join('┳')}┓`);
  lines.push(row(cols).replace(/│/g, '┃'));
  lines.push(`┡${w.map((n) => '━'.repeat(n + 2)).join('╇')}┩`);
  for (const r of b.rows) lines.push(row([r.layer, r.outputShape, formatCount(r.params)]));
  lines.push(`└${w.map((n) => '─'.repeat(n + 2)).join('┴')}┘`);
  const total = (label: string, n: number, bytes: number) =>
    ` ${label}: ${formatCount(n)} (${formatBytes(bytes)})`;
  lines.push(total('Total params', b.totalParams, b.totalBytes));
  lines.push(total('Trainable params', b.trainableParams, b.trainableBytes));
  lines.push(total('Non-trainable params', b.nonTrainableParams, b.nonTrainableBytes));
  return lines.join('\n');
}
