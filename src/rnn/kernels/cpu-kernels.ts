/**
 * Faster replacements for four tfjs `cpu` backend kernels that dominate small RNN training
 * steps. All are registered over the stock kernels by `installFastCpuKernels()` (called
 * when `src/rnn` is imported), so stock `tf.layers` models benefit as well.
 *
 * - `UnsortedSegmentSum` (the gradient of gather, so of `tf.layers.embedding`): the stock
 *   kernel loops over every segment doing equal/cast/multiply/sum over the whole input,
 *   O(segments × input) (~25 s per batch at a 10,000-word vocabulary). This is a plain
 *   scatter-add, O(input). (`rnn.embedding` does not need it: its gradient is already one.)
 * - `GatherV2` (used by `model.fit` to take each shuffled batch, and by embeddings): the
 *   stock kernel converts every element's flat index to coordinates and back; this copies
 *   contiguous rows. Batched gathers (batchDims > 0) still go to the stock kernel.
 * - `Transpose` with the identity permutation (tfjs's gather gradient, so
 *   `tf.layers.embedding`'s, transposes by it twice): shares the input's storage like
 *   `Reshape` instead of mapping every element through coordinates. Other permutations go
 *   to the stock kernel.
 * - `Reverse` (used by `goBackwards` and by Bidirectional to flip its backward sequence back):
 *   the stock kernel maps every element through coordinate arrays; this copies contiguous
 *   blocks, one axis at a time.
 */
import * as tf from '@tensorflow/tfjs';
import { getWasmKernels } from './index';
import { ResidentBuffer } from './resident';
import type { WasmKernels } from './wasm';

type CpuBackend = {
  readSync(dataId: unknown): ArrayLike<number>;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.TypedArray): tf.TensorInfo;
};

let installed = false;

/**
 * With the WebAssembly kernels, float32 gathers along axis 0 and segment sums run there
 * and their outputs are tensors backed by WebAssembly memory (kernels/resident.ts), which
 * the recurrent kernels and Adam then read in place: `tf.layers.embedding` gets the same
 * copy-free path as `rnn.embedding`. One small pool of blocks per kernel.
 */
const pools = new Map<string, { heap: WasmKernels['heap']; buf: ResidentBuffer }>();
function pool(name: string, wk: WasmKernels): ResidentBuffer {
  let p = pools.get(name);
  if (!p || p.heap !== wk.heap) pools.set(name, (p = { heap: wk.heap, buf: new ResidentBuffer(wk.heap) }));
  return p.buf;
}

function makeArray(dtype: tf.DataType, n: number): Float32Array | Int32Array | Uint8Array {
  if (dtype === 'int32') return new Int32Array(n);
  if (dtype === 'bool') return new Uint8Array(n);
  return new Float32Array(n);
}

/** A shape seen as [outer, dim, inner] around `axis` (products of the dims before and after it). */
function aroundAxis(shape: readonly number[], axis: number): { outer: number; dim: number; inner: number } {
  const product = (dims: readonly number[]) => dims.reduce((p, d) => p * d, 1);
  return { outer: product(shape.slice(0, axis)), dim: shape[axis], inner: product(shape.slice(axis + 1)) };
}

function replaceKernel(config: tf.KernelConfig): tf.KernelConfig | undefined {
  const previous = tf.getKernel(config.kernelName, 'cpu');
  if (previous) tf.unregisterKernel(config.kernelName, 'cpu');
  tf.registerKernel(config);
  return previous as tf.KernelConfig | undefined;
}

/** Registers the fast cpu kernels (idempotent). */
export function installFastCpuKernels(): void {
  if (installed) return;
  installed = true;

  replaceKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const numSegments = (attrs as unknown as { numSegments: number }).numSegments;
      const cpu = backend as unknown as CpuBackend;
      const xv = cpu.readSync(x.dataId);
      const ids = cpu.readSync(segmentIds.dataId);
      const idCount = ids.length;
      const inner = idCount === 0 ? 0 : xv.length / idCount;
      const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
      const wk = x.dtype === 'float32' && ids instanceof Int32Array && idCount > 0 ? getWasmKernels() : null;
      if (wk) {
        const buf = pool('UnsortedSegmentSum', wk);
        const ptr = buf.take(numSegments * inner);
        if (ptr !== null) {
          // Read x after `take` (a growth renews resident views).
          wk.scatterAdd(ids as Int32Array, cpu.readSync(x.dataId) as Float32Array, numSegments, inner, ptr, true);
          const info = cpu.makeTensorInfo(outShape, 'float32', wk.heap.f32(ptr, numSegments * inner));
          buf.adopt(ptr, info.dataId as object);
          return info;
        }
      }
      const out = makeArray(x.dtype, numSegments * inner);
      for (let n = 0; n < idCount; n++) {
        const s = ids[n];
        if (s < 0 || s >= numSegments) continue;
        const o = s * inner;
        const src = n * inner;
        for (let e = 0; e < inner; e++) out[o + e] += xv[src + e];
      }
      return cpu.makeTensorInfo(outShape, x.dtype, out);
    },
  });

  let stockGather: tf.KernelConfig | undefined;
  stockGather = replaceKernel({
    kernelName: 'GatherV2',
    backendName: 'cpu',
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { x, indices } = inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
      const a = attrs as unknown as { axis: number; batchDims: number };
      const rank = x.shape.length;
      const axis = a.axis < 0 ? a.axis + rank : a.axis;
      if ((a.batchDims ?? 0) !== 0 || x.dtype === 'string' || x.dtype === 'complex64') {
        return stockGather!.kernelFunc(args);
      }
      const cpu = backend as unknown as CpuBackend;
      const idx = cpu.readSync(indices.dataId);
      const { outer, dim, inner } = aroundAxis(x.shape, axis);
      const outShape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
      // A float32 tensor cast from int32 keeps its Int32Array storage on the cpu backend: the
      // WebAssembly gather would copy it as integers and read floats, so it takes the loop below.
      const wk =
        x.dtype === 'float32' && outer === 1 && idx instanceof Int32Array && idx.length > 0 && cpu.readSync(x.dataId) instanceof Float32Array
          ? getWasmKernels()
          : null;
      if (wk) {
        const buf = pool('GatherV2', wk);
        const ptr = buf.take(idx.length * inner);
        let ok = false;
        if (ptr !== null) {
          try {
            wk.gather(idx as Int32Array, cpu.readSync(x.dataId) as Float32Array, dim, inner, ptr);
            ok = true;
          } catch {
            // An index out of range: the loop below throws GatherV2's own error.
          }
        }
        if (ptr !== null && ok) {
          const info = cpu.makeTensorInfo(outShape, 'float32', wk.heap.f32(ptr, idx.length * inner));
          buf.adopt(ptr, info.dataId as object);
          return info;
        }
      }
      const xv = cpu.readSync(x.dataId);
      const out = makeArray(x.dtype, outer * idx.length * inner);
      const typed = xv as unknown as Float32Array;
      let o = 0;
      for (let p = 0; p < outer; p++) {
        const base = p * dim * inner;
        for (let i = 0; i < idx.length; i++) {
          const id = idx[i];
          if (!(id >= 0 && id < dim)) {
            throw new Error(`GatherV2: index ${id} is not in [0, ${dim}).`);
          }
          const src = base + id * inner;
          if (inner === 1) out[o] = typed[src];
          else out.set(typed.subarray(src, src + inner), o);
          o += inner;
        }
      }
      return cpu.makeTensorInfo(outShape, x.dtype, out);
    },
  });

  let stockTranspose: tf.KernelConfig | undefined;
  stockTranspose = replaceKernel({
    kernelName: 'Transpose',
    backendName: 'cpu',
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { x } = inputs as { x: tf.TensorInfo };
      const perm = (attrs as unknown as { perm: number[] }).perm;
      if (!perm.every((p, i) => p === i)) return stockTranspose!.kernelFunc(args);
      (backend as unknown as { incRef(id: unknown): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
    },
  });

  replaceKernel({
    kernelName: 'Reverse',
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x } = inputs as { x: tf.TensorInfo };
      const rank = x.shape.length;
      const dims = (attrs as unknown as { dims: number | number[] }).dims;
      const axes = [...new Set((Array.isArray(dims) ? dims : [dims]).map((d) => (d < 0 ? d + rank : d)))];
      const cpu = backend as unknown as CpuBackend;
      let src = cpu.readSync(x.dataId) as unknown as Float32Array;
      const n = src.length;
      if (axes.length === 0 || n === 0) return cpu.makeTensorInfo(x.shape, x.dtype, src.slice());
      let out = makeArray(x.dtype, n) as Float32Array;
      for (let k = 0; k < axes.length; k++) {
        const axis = axes[k];
        const { outer, dim, inner } = aroundAxis(x.shape, axis);
        for (let p = 0; p < outer; p++) {
          const base = p * dim * inner;
          for (let i = 0; i < dim; i++) {
            const from = base + (dim - 1 - i) * inner;
            out.set(src.subarray(from, from + inner), base + i * inner);
          }
        }
        if (k < axes.length - 1) {
          src = out;
          out = makeArray(x.dtype, n) as Float32Array;
        }
      }
      return cpu.makeTensorInfo(x.shape, x.dtype, out);
    },
  });
}
