/**
 * The benchmark workload, shared by Node (bench/node.ts) and Chromium (bench/browser/worker.ts):
 * the course's models, Embedding(10000, 32) -> LSTM(5) | GRU(5) -> Dense(1, sigmoid), trained
 * with Adam and binary cross-entropy, batch 32, on IMDB-shaped random data (25,000 sequences
 * of 100 ids in [0, 10000)). An epoch is 782 steps; the time per step is measured on a
 * slice of the data and multiplied by 782.
 */
import type * as TF from '@tensorflow/tfjs';

export type Cell = 'lstm' | 'gru';
export type Mode = 'fused' | 'stock';
/**
 * How the fused model is written (bench rows of `--spellings`): 'rnn' = rnn.embedding,
 * rnn.dense, rnn.adam(); the others swap in one tfjs spelling each, and 'tfjs' all of them
 * (tf.layers.embedding, tf.layers.dense, optimizer: 'adam'; the recurrent layer stays rnn's).
 */
export type Spelling = 'rnn' | 'tf.layers.embedding' | 'tf.layers.dense' | "'adam'" | 'tf.train.adam' | 'tfjs';
export const SPELLINGS: Spelling[] = ['tf.layers.embedding', 'tf.layers.dense', "'adam'", 'tf.train.adam', 'tfjs'];

export interface WorkloadConfig {
  cell: Cell;
  mode: Mode;
  /** Timed training steps per repeat. */
  steps: number;
  /** Timed repeats (the best and the spread are reported). */
  repeats: number;
  /** Warm-up steps before timing. */
  warmupSteps: number;
  /** Fused only: the tfjs backend (default 'cpu', which rnn.preferredBackend names). */
  backend?: string;
  /** Fused only: kernel implementation ('auto' = WebAssembly SIMD when available, 'js'). */
  kernels?: 'auto' | 'wasm' | 'js';
  /** Fused only: how the model is written (default 'rnn'). */
  spelling?: Spelling;
  /** Fused only: the whole-model fused training step (src/rnn/train; default on; --no-fused-step turns it off). */
  fusedStep?: boolean;
}

export interface WorkloadResult {
  cell: Cell;
  mode: Mode;
  backend: string;
  kernels: string;
  steps: number;
  /** Seconds per 782-step epoch, one per repeat. */
  secondsPerEpoch: number[];
  /** Process CPU seconds per epoch (Node only). */
  cpuSecondsPerEpoch?: number[];
  params: number;
  finalLoss: number;
  /** Fused only: whether `fit` ran the whole-model fused step ('fused') or why not. */
  fusedStep?: string;
}

export const STEPS_PER_EPOCH = 782;
const SAMPLES = 25000;
const MAXLEN = 100;
const VOCAB = 10000;

/** Deterministic IMDB-shaped data (an LCG; the values do not matter for speed). */
export function makeData(tf: typeof TF): { x: TF.Tensor2D; y: TF.Tensor2D } {
  const ids = new Int32Array(SAMPLES * MAXLEN);
  let s = 12345;
  for (let i = 0; i < ids.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    ids[i] = (s >>> 8) % VOCAB;
  }
  const labels = new Float32Array(SAMPLES);
  for (let i = 0; i < SAMPLES; i++) labels[i] = (ids[i * MAXLEN] + ids[i * MAXLEN + 1]) % 2;
  return { x: tf.tensor2d(ids, [SAMPLES, MAXLEN], 'int32'), y: tf.tensor2d(labels, [SAMPLES, 1]) };
}

/** The `rnn` namespace as far as the benchmark uses it. */
export interface RnnLike {
  embedding(a: { inputDim: number; outputDim: number; inputLength: number }): TF.layers.Layer;
  lstm(a: { units: number }): TF.layers.Layer;
  gru(a: { units: number }): TF.layers.Layer;
  dense(a: { units: number; activation: string }): TF.layers.Layer;
  adam(): TF.Optimizer;
  kernelImplementationName(): string;
  setKernelImplementation(which: 'auto' | 'wasm' | 'js'): void;
  setFusedTraining?(on: boolean): void;
  fusedStepInfo?(model: TF.LayersModel): { train: string | null };
}

export function buildModel(tf: typeof TF, cell: Cell, rnn: RnnLike | null, spelling: Spelling = 'rnn'): TF.Sequential {
  const m = tf.sequential();
  if (rnn) {
    const tfEmb = spelling === 'tf.layers.embedding' || spelling === 'tfjs';
    const tfDense = spelling === 'tf.layers.dense' || spelling === 'tfjs';
    const embArgs = { inputDim: VOCAB, outputDim: 32, inputLength: MAXLEN };
    m.add(tfEmb ? tf.layers.embedding(embArgs) : rnn.embedding(embArgs));
    m.add(cell === 'lstm' ? rnn.lstm({ units: 5 }) : rnn.gru({ units: 5 }));
    m.add(tfDense ? tf.layers.dense({ units: 1, activation: 'sigmoid' }) : rnn.dense({ units: 1, activation: 'sigmoid' }));
    const optimizer = spelling === "'adam'" || spelling === 'tfjs' ? 'adam' : spelling === 'tf.train.adam' ? tf.train.adam(1e-3) : rnn.adam();
    m.compile({ optimizer, loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  } else {
    // Stock tf.layers with Keras's gate activation. Stock GRU cannot do reset_after=True.
    m.add(tf.layers.embedding({ inputDim: VOCAB, outputDim: 32, inputLength: MAXLEN }));
    m.add(
      cell === 'lstm'
        ? tf.layers.lstm({ units: 5, recurrentActivation: 'sigmoid' })
        : tf.layers.gru({ units: 5, recurrentActivation: 'sigmoid' }),
    );
    m.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
    m.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  }
  return m;
}

/**
 * Time sources: `now` (wall ms), optionally `cpu` (process CPU ms, Node) and `mark` (tells
 * the harness that a timed repeat starts or ends, so it can read the browser's CPU time).
 */
type Clock = { now(): number; cpu?(): number; mark?(label: 'start' | 'end', repeat: number): void };

export async function runWorkload(
  tf: typeof TF,
  rnn: RnnLike | null,
  cfg: WorkloadConfig,
  clock: Clock,
): Promise<WorkloadResult> {
  if (rnn) rnn.setKernelImplementation(cfg.kernels ?? 'auto');
  rnn?.setFusedTraining?.(cfg.fusedStep ?? true);
  const { x, y } = makeData(tf);
  const model = buildModel(tf, cfg.cell, rnn, cfg.spelling);
  const batch = 32;
  const take = (start: number, steps: number) => [x.slice([start, 0], [steps * batch, MAXLEN]), y.slice([start, 0], [steps * batch, 1])];
  if (cfg.warmupSteps > 0) {
    const [wx, wy] = take(0, cfg.warmupSteps);
    await model.fit(wx, wy, { batchSize: batch, epochs: 1, yieldEvery: 'never', verbose: 0 });
    tf.dispose([wx, wy]);
  }
  const secondsPerEpoch: number[] = [];
  const cpuSecondsPerEpoch: number[] = [];
  let finalLoss = NaN;
  for (let r = 0; r < cfg.repeats; r++) {
    const start = ((cfg.warmupSteps + r * cfg.steps) * batch) % (25000 - cfg.steps * batch);
    const [bx, by] = take(start, cfg.steps);
    clock.mark?.('start', r);
    const c0 = clock.cpu?.();
    const t0 = clock.now();
    const h = await model.fit(bx, by, { batchSize: batch, epochs: 1, yieldEvery: 'never', verbose: 0 });
    const t1 = clock.now();
    const c1 = clock.cpu?.();
    clock.mark?.('end', r);
    secondsPerEpoch.push(((t1 - t0) / 1000 / cfg.steps) * STEPS_PER_EPOCH);
    if (c0 !== undefined && c1 !== undefined) cpuSecondsPerEpoch.push(((c1 - c0) / 1000 / cfg.steps) * STEPS_PER_EPOCH);
    finalLoss = (h.history.loss as number[])[0];
    tf.dispose([bx, by]);
  }
  const result: WorkloadResult = {
    cell: cfg.cell,
    mode: cfg.mode,
    backend: tf.getBackend(),
    kernels: rnn ? rnn.kernelImplementationName() : 'tfjs',
    steps: cfg.steps,
    secondsPerEpoch,
    params: model.countParams(),
    finalLoss,
  };
  if (cpuSecondsPerEpoch.length) result.cpuSecondsPerEpoch = cpuSecondsPerEpoch;
  const step = rnn?.fusedStepInfo?.(model).train;
  if (step) result.fusedStep = step;
  tf.dispose([x, y]);
  model.dispose();
  return result;
}
