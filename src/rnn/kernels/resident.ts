/**
 * tfjs tensors whose storage is a block of WebAssembly memory (cpu backend only).
 *
 * The cpu backend keeps each tensor's values as a typed array; when that array is a view
 * into the WebAssembly heap, the fused kernels read and write it in place (no copy). Two
 * hazards are handled here:
 * - Growing the WebAssembly memory detaches every view. Each resident tensor is tracked
 *   by its dataId and pointer, and a grow hook gives the backend a fresh view.
 * - A block must not be reused while a tensor still refers to it. `ResidentBuffer` reuses
 *   its block only once tfjs has disposed the tensor made from it (the backend no longer
 *   knows the dataId); otherwise it hands out another block (up to `POOL` of them), and
 *   past that returns null so the caller allocates an ordinary array.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmHeap } from './wasm';

type CpuData = { has(id: object): boolean; get(id: object): { values?: unknown; refCount?: number } | undefined };

/** The cpu backend's storage map, or null when another backend is active. */
export function cpuStorage(): CpuData | null {
  if (tf.getBackend() !== 'cpu') return null;
  return (tf.backend() as unknown as { data?: CpuData }).data ?? null;
}

interface Tracked {
  dataId: object;
  ptr: number;
  n: number;
}

const trackedByHeap = new WeakMap<WasmHeap, Map<object, Tracked>>();

/** Registers a tensor backed by a heap block, so its view is renewed when the memory grows. */
export function trackResident(heap: WasmHeap, dataId: object, ptr: number, n: number): void {
  let map = trackedByHeap.get(heap);
  if (!map) {
    const m = new Map<object, Tracked>();
    trackedByHeap.set(heap, m);
    heap.onGrow(() => {
      const data = (tf.backend() as unknown as { data?: CpuData }).data;
      for (const [id, t] of m) {
        const entry = data?.has(id) ? data.get(id) : undefined;
        if (!entry) m.delete(id);
        else entry.values = heap.f32(t.ptr, t.n);
      }
    });
    map = m;
  }
  map.set(dataId, { dataId, ptr, n });
}

/** Live tensor dataIds by block pointer, per heap (filled by the backend's write hook). */
const byPtr = new WeakMap<WasmHeap, Map<number, object>>();
const heaps: WasmHeap[] = [];
type Writer = { write(values: unknown, shape: number[], dtype: string): object; __rnnResident?: boolean };

/**
 * Makes the cpu backend report every tensor whose storage is a view into `heap`'s memory
 * (whoever creates it: the recurrent op wraps the kernels' output and dx this way), so that
 * the kernels know when a block is free again and the views are renewed on growth. A wrapper
 * around the backend instance's `write`, installed once per backend instance; a no-op on
 * other backends.
 */
export function ensureResidentTracking(heap: WasmHeap): void {
  if (!heaps.includes(heap)) heaps.push(heap);
  if (tf.getBackend() !== 'cpu') return;
  const backend = tf.backend() as unknown as Writer;
  if (backend.__rnnResident) return;
  const write = backend.write.bind(backend);
  backend.write = (values, shape, dtype) => {
    const dataId = write(values, shape, dtype);
    if (values instanceof Float32Array) {
      const buffer = values.buffer;
      const h = heaps.length === 1 ? (heaps[0].buffer === buffer ? heaps[0] : undefined) : heaps.find((x) => x.buffer === buffer);
      if (h) {
        trackResident(h, dataId, values.byteOffset, values.length);
        let m = byPtr.get(h);
        if (!m) byPtr.set(h, (m = new Map()));
        m.set(values.byteOffset, dataId);
      }
    }
    return dataId;
  };
  backend.__rnnResident = true;
}

/** Whether a live tfjs tensor is stored in the block at `ptr` (as far as the write hook saw). */
export function blockHasLiveTensor(heap: WasmHeap, ptr: number): boolean {
  const id = byPtr.get(heap)?.get(ptr);
  if (!id) return false;
  const data = (tf.backend() as unknown as { data?: CpuData }).data;
  if (data?.has(id)) return true;
  byPtr.get(heap)!.delete(ptr);
  return false;
}

/** Wraps a heap block as a float32 tensor (no copy) and tracks it. */
export function residentTensor(heap: WasmHeap, ptr: number, shape: number[]): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const t = tf.tensor(heap.f32(ptr, n), shape, 'float32');
  trackResident(heap, t.dataId as object, ptr, n);
  return t;
}

const POOL = 3;
const finalizer =
  typeof FinalizationRegistry === 'undefined'
    ? null
    : new FinalizationRegistry<{ heap: WasmHeap; blocks: Block[] }>(({ heap, blocks }) => {
        // Blocks whose tensor outlived the owner stay allocated (a tensor must never see reuse).
        const data = cpuStorage();
        for (const b of blocks) if (!b.dataId || (data && !data.has(b.dataId))) heap.free(b.ptr);
      });

interface Block {
  ptr: number;
  n: number;
  dataId: object | null;
}

/**
 * A few heap blocks that back successive tensors of one producer (e.g. the embedding's
 * output and its gradient, one step after the other). Freed when the owner is
 * garbage-collected.
 */
export class ResidentBuffer {
  /** Owned blocks (the same array is held by the finalizer, which frees them). */
  private readonly blocks: Block[] = [];
  constructor(private readonly heap: WasmHeap) {
    finalizer?.register(this, { heap, blocks: this.blocks });
  }
  /** A block of `n` floats that no live tensor uses (contents undefined), or null (use an ordinary array). */
  take(n: number): number | null {
    const data = cpuStorage();
    if (!data) return null;
    const free = (b: { dataId: object | null }) => !b.dataId || !data.has(b.dataId);
    const same = this.blocks.find((b) => b.n === n && free(b));
    if (same) {
      same.dataId = null;
      return same.ptr;
    }
    const other = this.blocks.findIndex(free);
    if (other < 0 && this.blocks.length >= POOL) return null;
    if (other >= 0) this.heap.free(this.blocks.splice(other, 1)[0].ptr);
    const ptr = this.heap.alloc(n);
    this.blocks.push({ ptr, n, dataId: null });
    return ptr;
  }
  /** Records that the tensor `dataId` (made by a kernel from a view of block `ptr`) uses it. */
  adopt(ptr: number, dataId: object): void {
    trackResident(this.heap, dataId, ptr, this.blocks.find((x) => x.ptr === ptr)?.n ?? 0);
    const b = this.blocks.find((x) => x.ptr === ptr);
    if (b) b.dataId = dataId;
  }
  /** Makes the tensor backed by block `ptr` (from `take`) and remembers it. */
  wrap(ptr: number, shape: number[]): tf.Tensor {
    const t = residentTensor(this.heap, ptr, shape);
    const b = this.blocks.find((x) => x.ptr === ptr);
    if (b) b.dataId = t.dataId as object;
    return t;
  }
}
