/**
 * Reading NumPy `.npy` files (format versions 1-3) from bytes: the header's dtype and shape,
 * then either the raw little-endian numbers or, for object arrays (`|O`), the pickled list of
 * Python objects. Only 1-D arrays are needed here (IMDB's reviews and labels).
 */
import { objectArrayItems, unpickle } from './pickle';

export interface NpyArray {
  descr: string;
  shape: number[];
  /** Numbers for numeric dtypes; Python objects (here: arrays of ints) for `|O`. */
  data: unknown[];
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function parseNpy(bytes: Uint8Array, name = 'array'): NpyArray {
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) {
    throw new Error(`${name}.npy is not a NumPy .npy file (bad magic bytes)`);
  }
  const major = bytes[6];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = dv.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    headerLen = dv.getUint32(8, true);
    start = 12;
  } else {
    throw new Error(`${name}.npy: unsupported .npy format version ${major}`);
  }
  if (start + headerLen > bytes.length) throw new Error(`${name}.npy is truncated (header)`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new Error(`${name}.npy: cannot read header ${header.trim()}`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (shape.length !== 1) throw new Error(`${name}.npy: expected a 1-D array, got shape (${shapeText})`);
  const count = shape[0];
  const payload = bytes.subarray(start + headerLen);

  if (descr === '|O') {
    let items: unknown[];
    try {
      items = objectArrayItems(unpickle(payload));
    } catch (err) {
      throw new Error(`${name}.npy: cannot read its pickled objects: ${(err as Error).message}`);
    }
    if (items.length !== count) throw new Error(`${name}.npy: header says ${count} items, pickle has ${items.length}`);
    return { descr, shape, data: items };
  }
  const m = /^([<>|=])([iufb])(\d+)$/.exec(descr);
  if (!m) throw new Error(`${name}.npy: unsupported dtype ${descr}`);
  const [, order, kind, sizeText] = m;
  const size = Number(sizeText);
  const little = order !== '>';
  if (payload.length < count * size) throw new Error(`${name}.npy is truncated: ${payload.length} bytes for ${count} items of ${size}`);
  const pv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const data: number[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * size;
    if (kind === 'f') data[i] = size === 8 ? pv.getFloat64(o, little) : pv.getFloat32(o, little);
    else if (kind === 'b' || size === 1) data[i] = kind === 'i' ? pv.getInt8(o) : pv.getUint8(o);
    else if (size === 2) data[i] = kind === 'i' ? pv.getInt16(o, little) : pv.getUint16(o, little);
    else if (size === 4) data[i] = kind === 'i' ? pv.getInt32(o, little) : pv.getUint32(o, little);
    else if (size === 8) data[i] = Number(kind === 'i' ? pv.getBigInt64(o, little) : pv.getBigUint64(o, little));
    else throw new Error(`${name}.npy: unsupported dtype ${descr}`);
  }
  return { descr, shape, data };
}
