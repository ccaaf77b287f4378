/**
 * A minimal Python unpickler, enough for NumPy object arrays of lists of ints (what Keras's
 * `imdb.npz` holds): protocols 2 to 5, with globals and reductions kept as plain records
 * (`PyGlobal`, `PyReduce`) rather than executed. Unsupported opcodes throw with their byte
 * and position, so a strange file fails clearly instead of silently.
 */

export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
}

export class PyReduce {
  state: unknown = undefined;
  constructor(
    readonly callable: unknown,
    readonly args: unknown[],
  ) {}
}

const MARK = Symbol('mark');

export function unpickle(bytes: Uint8Array): unknown {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  const latin1 = new TextDecoder('latin1');
  const utf8 = new TextDecoder('utf-8');
  let p = 0;
  const need = (n: number) => {
    if (p + n > bytes.length) throw new Error(`pickle data truncated at byte ${p} (needed ${n} more)`);
  };
  const u8 = () => (need(1), bytes[p++]);
  const u16 = () => (need(2), (p += 2), dv.getUint16(p - 2, true));
  const u32 = () => (need(4), (p += 4), dv.getUint32(p - 4, true));
  const i32 = () => (need(4), (p += 4), dv.getInt32(p - 4, true));
  const take = (n: number) => (need(n), (p += n), bytes.subarray(p - n, p));
  const line = () => {
    const end = bytes.indexOf(10, p);
    if (end < 0) throw new Error('pickle data truncated (missing newline)');
    const s = latin1.decode(bytes.subarray(p, end));
    p = end + 1;
    return s;
  };
  const popMark = (): unknown[] => {
    for (let k = stack.length - 1; k >= 0; k--) {
      if (stack[k] === MARK) {
        const items = stack.splice(k);
        items.shift();
        return items;
      }
    }
    throw new Error('pickle: MARK not found');
  };
  const pop = () => {
    if (stack.length === 0) throw new Error(`pickle: stack underflow at byte ${p}`);
    return stack.pop();
  };
  const top = () => stack[stack.length - 1];
  const littleEndianInt = (b: Uint8Array): number => {
    if (b.length === 0) return 0;
    let v = 0n;
    for (let k = b.length - 1; k >= 0; k--) v = (v << 8n) | BigInt(b[k]);
    if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new Error(`pickle: integer ${v} too large`);
    }
    return Number(v);
  };

  for (;;) {
    const at = p;
    const op = u8();
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: take(8); break; // FRAME (length ignored: we read the whole buffer)
      case 0x2e: return pop(); // STOP
      case 0x28: stack.push(MARK); break; // MARK
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x4a: stack.push(i32()); break; // BININT
      case 0x8a: stack.push(littleEndianInt(take(u8()))); break; // LONG1
      case 0x8b: stack.push(littleEndianInt(take(u32()))); break; // LONG4
      case 0x49: { // INT (text)
        const s = line();
        stack.push(s === '01' ? true : s === '00' ? false : Number.parseInt(s, 10));
        break;
      }
      case 0x4c: stack.push(Number.parseInt(line().replace(/L$/, ''), 10)); break; // LONG (text)
      case 0x47: need(8); stack.push(dv.getFloat64(p, false)); p += 8; break; // BINFLOAT
      case 0x8c: stack.push(utf8.decode(take(u8()))); break; // SHORT_BINUNICODE
      case 0x58: stack.push(utf8.decode(take(u32()))); break; // BINUNICODE
      case 0x8d: { const n = Number(dv.getBigUint64((need(8), p), true)); p += 8; stack.push(utf8.decode(take(n))); break; } // BINUNICODE8
      case 0x55: stack.push(latin1.decode(take(u8()))); break; // SHORT_BINSTRING (Python 2 str)
      case 0x54: stack.push(latin1.decode(take(u32()))); break; // BINSTRING
      case 0x43: stack.push(take(u8()).slice()); break; // SHORT_BINBYTES
      case 0x42: stack.push(take(u32()).slice()); break; // BINBYTES
      case 0x8e: { const n = Number(dv.getBigUint64((need(8), p), true)); p += 8; stack.push(take(n).slice()); break; } // BINBYTES8
      case 0x96: { const n = Number(dv.getBigUint64((need(8), p), true)); p += 8; stack.push(take(n).slice()); break; } // BYTEARRAY8
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x85: stack.push([pop()]); break; // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); stack.push([a, b]); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push([a, b, c]); break; } // TUPLE3
      case 0x74: stack.push(popMark()); break; // TUPLE
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x61: { const v = pop(); (top() as unknown[]).push(v); break; } // APPEND
      case 0x65: { const items = popMark(); (top() as unknown[]).push(...items); break; } // APPENDS
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x64: { // DICT
        const items = popMark();
        const m = new Map();
        for (let k = 0; k < items.length; k += 2) m.set(items[k], items[k + 1]);
        stack.push(m);
        break;
      }
      case 0x73: { const v = pop(); const k = pop(); (top() as Map<unknown, unknown>).set(k, v); break; } // SETITEM
      case 0x75: { // SETITEMS
        const items = popMark();
        const m = top() as Map<unknown, unknown>;
        for (let k = 0; k < items.length; k += 2) m.set(items[k], items[k + 1]);
        break;
      }
      case 0x63: { const module = line(); const name = line(); stack.push(new PyGlobal(module, name)); break; } // GLOBAL
      case 0x93: { const name = pop() as string; const module = pop() as string; stack.push(new PyGlobal(module, name)); break; } // STACK_GLOBAL
      case 0x52: { const args = pop() as unknown[]; const fn = pop(); stack.push(new PyReduce(fn, args)); break; } // REDUCE
      case 0x81: { const args = pop() as unknown[]; const cls = pop(); stack.push(new PyReduce(cls, args)); break; } // NEWOBJ
      case 0x62: { // BUILD
        const state = pop();
        const obj = top();
        if (obj instanceof PyReduce) obj.state = state;
        else throw new Error(`pickle: BUILD on a ${typeof obj}`);
        break;
      }
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x70: memo.set(Number.parseInt(line(), 10), top()); break; // PUT
      case 0x68: stack.push(memo.get(u8())); break; // BINGET
      case 0x6a: stack.push(memo.get(u32())); break; // LONG_BINGET
      case 0x67: stack.push(memo.get(Number.parseInt(line(), 10))); break; // GET
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      default:
        throw new Error(`pickle: unsupported opcode 0x${op.toString(16)} at byte ${at}`);
    }
  }
}

/**
 * Pulls the elements out of an unpickled NumPy object array
 * (`numpy.core.multiarray._reconstruct(ndarray, …)` + BUILD state `(version, shape, dtype,
 * fortran, items)`).
 */
export function objectArrayItems(value: unknown): unknown[] {
  if (!(value instanceof PyReduce) || !(value.callable instanceof PyGlobal) || value.callable.name !== '_reconstruct') {
    throw new Error('expected a pickled NumPy array (numpy.core.multiarray._reconstruct)');
  }
  const state = value.state;
  if (!Array.isArray(state) || state.length < 5 || !Array.isArray(state[4])) {
    throw new Error('pickled NumPy array has no list of objects in its state');
  }
  return state[4] as unknown[];
}
