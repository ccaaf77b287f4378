/**
 * A fast `UnsortedSegmentSum` for the tfjs `cpu` backend.
 *
 * Stock tfjs differentiates `gather` (so `tf.layers.embedding`) through UnsortedSegmentSum,
 * and its cpu kernel loops over every segment doing equal/cast/multiply/sum over the whole
 * input: O(segments × input) work. This replacement is a plain scatter-add, O(input).
 * `rnn.embedding` does not need it (its gradient is already a scatter-add); it makes stock
 * `tf.layers.embedding` usable on cpu too.
 */
import * as tf from '@tensorflow/tfjs';

type CpuBackend = {
  readSync(dataId: unknown): ArrayLike<number>;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.TypedArray): tf.TensorInfo;
};

let installed = false;

/** Registers the scatter-add kernel for the cpu backend (idempotent). */
export function installFastSegmentSum(): void {
  if (installed) return;
  installed = true;
  const kernelName = 'UnsortedSegmentSum';
  if (tf.getKernel(kernelName, 'cpu')) tf.unregisterKernel(kernelName, 'cpu');
  tf.registerKernel({
    kernelName,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      const cpu = backend as unknown as CpuBackend;
      const xv = cpu.readSync(x.dataId);
      const ids = cpu.readSync(segmentIds.dataId);
      const idCount = ids.length;
      const inner = idCount === 0 ? 0 : xv.length / idCount;
      const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
      const out = x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
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
}
