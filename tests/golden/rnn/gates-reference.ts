/**
 * Float64 reference of the per-step gate activations of one Keras recurrent layer, straight
 * from the equations in keras/src/layers/rnn/{simple_rnn,lstm,gru}.py (the same equations as
 * reference.ts, which keeps only what backward needs). No tfjs and no code from src/rnn.
 *
 * Returns name -> [batch][step][unit] with steps in *input* order: for a goBackwards layer,
 * entry t is the step that read input position t. Names: LSTM i, f, candidate, o, c, h;
 * GRU z, r, candidate, h; SimpleRNN h (as `rnn.inspect.gates`).
 */
import type { Act, RecurrentSpec, Weight } from './reference';

const act = (a: Act | undefined, x: number): number => {
  switch (a ?? 'tanh') {
    case 'tanh':
      return Math.tanh(x);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'relu':
      return Math.max(0, x);
    default:
      return x;
  }
};

export function referenceGates(spec: RecurrentSpec, weights: Weight[], x: number[][][]): Record<string, number[][][]> {
  const [W, U, bias] = weights;
  const u = spec.units;
  const G = W.shape[1];
  const D = W.shape[0];
  const resetAfter = spec.type === 'gru' && (spec.resetAfter ?? true);
  const a = spec.activation ?? 'tanh';
  const ra = spec.recurrentActivation ?? 'sigmoid';
  const w = (i: number, j: number) => W.values[i * G + j];
  const r = (i: number, j: number) => U.values[i * G + j];
  const bIn = (j: number) => bias.values[j];
  const bRec = (j: number) => (resetAfter ? bias.values[G + j] : 0);
  const out: Record<string, number[][][]> = {};
  const names = spec.type === 'lstm' ? ['i', 'f', 'candidate', 'o', 'c', 'h'] : spec.type === 'gru' ? ['z', 'r', 'candidate', 'h'] : ['h'];
  for (const n of names) out[n] = [];
  for (const seq of x) {
    const T = seq.length;
    const per: Record<string, number[][]> = {};
    for (const n of names) per[n] = new Array(T);
    let h = new Array(u).fill(0);
    let c = new Array(u).fill(0);
    for (let s = 0; s < T; s++) {
      const t = spec.goBackwards ? T - 1 - s : s;
      const xt = seq[t];
      const px = (col: number) => {
        let v = bIn(col);
        for (let d = 0; d < D; d++) v += xt[d] * w(d, col);
        return v;
      };
      const ph = (v: number[], col: number) => {
        let s2 = 0;
        for (let k = 0; k < u; k++) s2 += v[k] * r(k, col);
        return s2;
      };
      if (spec.type === 'lstm') {
        const gi: number[] = [], gf: number[] = [], gg: number[] = [], go: number[] = [], cn: number[] = [], hn: number[] = [];
        for (let j = 0; j < u; j++) {
          gi.push(act(ra, px(j) + ph(h, j)));
          gf.push(act(ra, px(u + j) + ph(h, u + j)));
          gg.push(act(a, px(2 * u + j) + ph(h, 2 * u + j)));
          go.push(act(ra, px(3 * u + j) + ph(h, 3 * u + j)));
          cn.push(gf[j] * c[j] + gi[j] * gg[j]);
          hn.push(go[j] * act(a, cn[j]));
        }
        per.i[t] = gi;
        per.f[t] = gf;
        per.candidate[t] = gg;
        per.o[t] = go;
        per.c[t] = cn;
        per.h[t] = hn;
        c = cn;
        h = hn;
      } else if (spec.type === 'gru') {
        const z: number[] = [], rg: number[] = [], hh: number[] = [], hn: number[] = [];
        for (let j = 0; j < u; j++) {
          z.push(act(ra, px(j) + ph(h, j) + bRec(j)));
          rg.push(act(ra, px(u + j) + ph(h, u + j) + bRec(u + j)));
        }
        const rh = h.map((v, k) => rg[k] * v);
        for (let j = 0; j < u; j++) {
          const rec = resetAfter ? rg[j] * (ph(h, 2 * u + j) + bRec(2 * u + j)) : ph(rh, 2 * u + j);
          hh.push(act(a, px(2 * u + j) + rec));
          hn.push(z[j] * h[j] + (1 - z[j]) * hh[j]);
        }
        per.z[t] = z;
        per.r[t] = rg;
        per.candidate[t] = hh;
        per.h[t] = hn;
        h = hn;
      } else {
        const hn: number[] = [];
        for (let j = 0; j < u; j++) hn.push(act(a, px(j) + ph(h, j)));
        per.h[t] = hn;
        h = hn;
      }
    }
    for (const n of names) out[n].push(per[n]);
  }
  return out;
}
