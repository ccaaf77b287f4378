/**
 * Keras `Embedding` with a fast gradient.
 *
 * The lookup is one tape node (`tf.customGrad`): forward copies rows, backward scatter-adds
 * the output gradient into a dense [inputDim, outputDim] gradient (what Keras's dense Adam
 * consumes). Stock tfjs differentiates `gather` through `unsortedSegmentSum`, whose cpu
 * kernel loops over every vocabulary entry (~25 s per batch at a 10,000-word vocabulary).
 */
import * as tf from '@tensorflow/tfjs';
import { resolveInitializer, serializeInitializer, type InitializerLike, type InitializerSpec } from '../initializers';
import { uniqueLayerName } from '../names';
import {
  addWeightConstraint,
  addWeightPenalty,
  CALL_KWARGS,
  checkCallKwargs,
  checkLayerArgs,
  recordActivity,
  resolveConstraint,
  resolveRegularizer,
  serializeWeightArg,
  type Constraint,
  type ConstraintSpec,
  type Regularizer,
  type RegularizerSpec,
} from './weight-args';
import { getWasmKernels } from '../kernels/index';
import { ResidentBuffer } from '../kernels/resident';
import type { WasmKernels } from '../kernels/wasm';
import { ValueError } from '../errors';

type Shape = (number | null)[];

/** Arguments of `rnn.embedding` (tf.layers spelling, Keras defaults). */
export interface EmbeddingLayerArgs {
  /** Vocabulary size: ids are in [0, inputDim). Required. */
  inputDim: number;
  /** Size of each embedding vector. Required. */
  outputDim: number;
  /** Length of input sequences, when constant (sets the input shape [inputLength]). */
  inputLength?: number | null;
  /** Default 'randomUniform' in [-0.05, 0.05] (Keras 'uniform'). */
  embeddingsInitializer?: InitializerSpec;
  /**
   * Treat id 0 as padding: the layer outputs a mask (true where the id is not 0) that the
   * recurrent layers and Bidirectional consume (Keras `mask_zero`). Default false.
   */
  maskZero?: boolean;
  /** Keras regularizer of the table ('l1', 'l2', tf.regularizers objects): added to the training loss. */
  embeddingsRegularizer?: RegularizerSpec;
  /** Keras constraint of the table ('maxNorm', ... or tf.constraints objects), applied after each optimizer step. */
  embeddingsConstraint?: ConstraintSpec;
  /** Penalty on the looked-up vectors, each training step. */
  activityRegularizer?: RegularizerSpec;
  /** Initial table, `[inputDim, outputDim]` (Keras `weights=[table]`). */
  weights?: tf.Tensor[];
  batchSize?: number;
  dtype?: tf.DataType;
  /** Layer name; default Keras-style (`embedding`, `embedding_1`, ...). */
  name?: string;
  inputShape?: Shape;
  batchInputShape?: Shape;
  trainable?: boolean;
}

/** The shortest decimal that is this float32 (2.7, not 2.700000047683716). */
function float32Text(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  for (let p = 1; p <= 9; p++) {
    const t = Number(v.toPrecision(p));
    if (Math.fround(t) === v) return String(t);
  }
  return String(v);
}

/**
 * Ids as an Int32Array. Float ids are cast as Keras 3 does (`ops.cast(inputs, 'int32')`:
 * truncation toward zero, so 2.7 -> 2 and -0.5 -> 0); the range is checked after the cast
 * (here and by the gather), as Keras's gather on CPU does.
 */
export function idsAsInt32(ids: ArrayLike<number>, V: number): Int32Array {
  if (ids instanceof Int32Array) return ids;
  const out = new Int32Array(ids.length);
  for (let n = 0; n < ids.length; n++) {
    const raw = ids[n];
    const id = Math.trunc(raw);
    if (!(id >= 0 && id < V)) {
      throw new ValueError(`Embedding: id ${id === raw ? id : `${float32Text(raw)} (cast to int32: ${id})`} is outside [0, ${V}) (inputDim ${V}).`);
    }
    out[n] = id;
  }
  return out;
}

/** Gathers rows of `table` ([V, E]) for every id; out-of-range ids throw (Keras on CPU does too). */
function gatherRows(ids: ArrayLike<number>, table: Float32Array, V: number, E: number): Float32Array {
  const out = new Float32Array(ids.length * E);
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n];
    if (!(id >= 0 && id < V) || id !== Math.floor(id)) {
      throw new ValueError(`Embedding: id ${id} is outside [0, ${V}) (inputDim ${V}).`);
    }
    const src = id * E;
    const dst = n * E;
    for (let e = 0; e < E; e++) out[dst + e] = table[src + e];
  }
  return out;
}

/**
 * The arguments of an Embedding given Keras-style, `rnn.embedding(10000, 32)` or
 * `rnn.embedding(10000, 32, { maskZero: true })` (Keras `Embedding(input_dim, output_dim, ...)`),
 * or as one object `{ inputDim, outputDim, ... }`.
 */
export function embeddingArgs(
  args: EmbeddingLayerArgs | number,
  outputDim: number | undefined,
  more: Omit<EmbeddingLayerArgs, 'inputDim' | 'outputDim'> | undefined,
): EmbeddingLayerArgs {
  if (typeof args === 'number') {
    if (more != null && (typeof more !== 'object' || Array.isArray(more))) {
      throw new TypeError(`Embedding: the third argument must be an object of arguments, e.g. rnn.embedding(${args}, ${String(outputDim)}, { maskZero: true }).`);
    }
    const m = (more ?? {}) as Record<string, unknown>;
    for (const k of ['inputDim', 'outputDim']) {
      if (m[k] !== undefined) throw new ValueError(`Embedding: '${k}' given twice (positionally and in the options).`);
    }
    if (outputDim === undefined) throw new ValueError(`Embedding: argument 'outputDim' is missing: rnn.embedding(${args}, outputDim) or { inputDim: ${args}, outputDim }.`);
    return { ...m, inputDim: args, outputDim } as EmbeddingLayerArgs;
  }
  if (outputDim !== undefined || more !== undefined) {
    throw new TypeError(`Embedding: unexpected extra argument; pass rnn.embedding(inputDim, outputDim, { ... }) or one object { inputDim, outputDim, ... }.`);
  }
  if (args == null || typeof args !== 'object' || Array.isArray(args)) {
    throw new TypeError(`Embedding: expected { inputDim, outputDim, ... } or rnn.embedding(inputDim, outputDim), got ${String(args)}.`);
  }
  return args;
}

/**
 * The dense [V, E] gradient buffer is large (1.28 MB for the course model) and needed every
 * step. On the cpu backend it is reused once no tensor refers to the previous one any more
 * (tfjs disposes gradients after the optimizer step), which saves an allocation and garbage
 * collection per step; otherwise a fresh buffer is allocated.
 */
class GradientBuffer {
  private buffer: Float32Array | null = null;
  private dataId: object | null = null;
  take(n: number): Float32Array {
    const storage = tf.getBackend() === 'cpu' ? (tf.backend() as unknown as { data?: { has(id: object): boolean } }).data : undefined;
    if (this.buffer && this.buffer.length === n && this.dataId && storage && !storage.has(this.dataId)) {
      this.buffer.fill(0);
      return this.buffer;
    }
    return new Float32Array(n);
  }
  wrap(buffer: Float32Array, shape: [number, number]): tf.Tensor2D {
    const t = tf.tensor2d(buffer, shape);
    this.buffer = buffer;
    this.dataId = t.dataId as object;
    return t;
  }
}

/**
 * Keras `Embedding`: maps integer ids [batch, steps] to vectors [batch, steps, outputDim], with
 * the fast gradient described above and an optional padding mask (`maskZero`).
 */
export class Embedding extends tf.layers.Layer {
  static className = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly inputLength: number | null;
  /** Whether id 0 is padding that the next layers skip (Keras `mask_zero`). */
  readonly maskZero: boolean;
  private readonly embeddingsInit: InitializerLike;
  private embeddings: tf.LayerVariable | null = null;
  private readonly gradBuffer = new GradientBuffer();
  private readonly embeddingsRegularizer: Regularizer | null;
  private readonly embeddingsConstraint: Constraint | null;
  private readonly activityRegularizerArg: Regularizer | null;

  constructor(args: EmbeddingLayerArgs | number, outputDim?: number, more?: Omit<EmbeddingLayerArgs, 'inputDim' | 'outputDim'>) {
    args = embeddingArgs(args, outputDim, more);
    checkLayerArgs(args, 'Embedding');
    for (const key of ['inputDim', 'outputDim'] as const) {
      const v = args?.[key];
      if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
        throw new ValueError(`Embedding: argument '${key}' must be a positive integer, got ${String(v)}.`);
      }
    }
    const base: Record<string, unknown> = { name: args.name ?? uniqueLayerName('embedding') };
    if (args.inputShape) base.inputShape = args.inputShape;
    else if (args.batchInputShape) base.batchInputShape = args.batchInputShape;
    else base.batchInputShape = [null, args.inputLength ?? null];
    if (args.trainable != null) base.trainable = args.trainable;
    if (args.weights != null) base.weights = args.weights;
    if (args.batchSize != null) base.batchSize = args.batchSize;
    super(base as never);
    this.embeddingsRegularizer = resolveRegularizer(args.embeddingsRegularizer, 'embeddingsRegularizer', 'Embedding');
    this.embeddingsConstraint = resolveConstraint(args.embeddingsConstraint, 'embeddingsConstraint', 'Embedding');
    this.activityRegularizerArg = resolveRegularizer(args.activityRegularizer, 'activityRegularizer', 'Embedding');
    this.inputDim = args.inputDim;
    this.outputDim = args.outputDim;
    this.inputLength = args.inputLength ?? null;
    this.maskZero = args.maskZero ?? false;
    this.supportsMasking = this.maskZero;
    this.embeddingsInit = resolveInitializer(args.embeddingsInitializer, 'randomUniform', 'embeddingsInitializer');
  }

  /** Keras class name printed by summaries. */
  get kerasClassName(): string {
    return 'Embedding';
  }

  override build(): void {
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], 'float32', this.embeddingsInit as never);
    addWeightPenalty(this, this.embeddings, this.embeddingsRegularizer);
    addWeightConstraint(this, this.embeddings, this.embeddingsConstraint);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [...shape, this.outputDim];
  }

  /** With maskZero: true where the id is not 0 (Keras `compute_mask`); otherwise no mask. */
  override computeMask(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    if (!this.maskZero) return null as unknown as tf.Tensor;
    const ids = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.notEqual(ids, 0);
  }

  /** tfjs `apply`, plus the activity penalty of a training call (`weight-args.ts`). */
  override apply(inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[], kwargs?: Record<string, unknown>): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    checkCallKwargs(kwargs, `Embedding '${this.name}'`, CALL_KWARGS.plain);
    const out = super.apply(inputs, kwargs);
    recordActivity(this, this.activityRegularizerArg, out, kwargs);
    return out;
  }

  /**
   * WebAssembly path (the default): the output and the dense gradient are tensors backed by
   * blocks of WebAssembly memory (kernels/resident.ts), filled there by the gather and the
   * scatter-add, and read in place by the recurrent kernels and Adam: no copy, no allocation
   * per step. Falls back to JS loops over ordinary arrays (JS kernels, other backends, or
   * while an earlier output is still alive and the small pool of blocks is in use).
   */
  private resident(wk: WasmKernels): { out: ResidentBuffer; grad: ResidentBuffer } {
    if (!this.residentBuffers || this.residentBuffers.heap !== wk.heap) {
      this.residentBuffers = { heap: wk.heap, out: new ResidentBuffer(wk.heap), grad: new ResidentBuffer(wk.heap) };
    }
    return this.residentBuffers;
  }
  private residentBuffers: { heap: WasmKernels['heap']; out: ResidentBuffer; grad: ResidentBuffer } | null = null;

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const ids = Array.isArray(inputs) ? inputs[0] : inputs;
    const V = this.inputDim;
    const E = this.outputDim;
    const op = tf.customGrad((...args: unknown[]) => {
      const [idT, table] = args as tf.Tensor[];
      const idData = idsAsInt32(idT.dataSync(), V);
      const shape = [...idT.shape, E];
      const wk = getWasmKernels();
      let value: tf.Tensor | null = null;
      if (wk) {
        const buf = this.resident(wk);
        const ptr = buf.out.take(idData.length * E);
        if (ptr !== null) {
          // After `take` (which may grow the memory): the table's view is current.
          wk.gather(idData, table.dataSync() as Float32Array, V, E, ptr);
          value = buf.out.wrap(ptr, shape);
        }
      }
      value ??= tf.tensor(gatherRows(idData, table.dataSync() as Float32Array, V, E), shape);
      const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
        const wk2 = getWasmKernels();
        if (wk2) {
          const buf = this.resident(wk2);
          const ptr = buf.grad.take(V * E);
          if (ptr !== null) {
            wk2.scatterAdd(idData, dy.dataSync() as Float32Array, V, E, ptr, true);
            return [tf.zerosLike(idT), buf.grad.wrap(ptr, [V, E])];
          }
        }
        const g = dy.dataSync() as Float32Array;
        const dTable = this.gradBuffer.take(V * E);
        for (let n = 0; n < idData.length; n++) {
          const row = idData[n] * E;
          const src = n * E;
          for (let e = 0; e < E; e++) dTable[row + e] += g[src + e];
        }
        return [tf.zerosLike(idT), this.gradBuffer.wrap(dTable, [V, E])];
      };
      return { value, gradFunc };
    });
    return op(ids, this.embeddings!.read()) as tf.Tensor;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      inputLength: this.inputLength,
      maskZero: this.maskZero,
      embeddingsInitializer: serializeInitializer(this.embeddingsInit),
      embeddingsRegularizer: serializeWeightArg(this.embeddingsRegularizer),
      embeddingsConstraint: serializeWeightArg(this.embeddingsConstraint),
      activityRegularizer: serializeWeightArg(this.activityRegularizerArg),
    };
  }
}

tf.serialization.registerClass(Embedding);
