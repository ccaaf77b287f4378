/*
 * Table operations for the embedding and its optimizer step, compiled into the same
 * WebAssembly module as kernels.c (src/rnn/wasm/build.ts). They work on buffers that stay
 * resident in the module's memory (src/rnn/kernels/wasm.ts), so a training step of the
 * course model copies no embedding-sized array between JavaScript and WebAssembly.
 */
#include <wasm_simd128.h>

/*
 * out[n, :] = table[ids[n], :] for n < count (table [V, E], out [count, E]).
 * Returns -1, or the position of the first id outside [0, V) (nothing is written past it).
 */
int gather_rows(const int *ids, int count, const float *table, int V, int E, float *out) {
  for (int n = 0; n < count; n++) {
    int id = ids[n];
    if (id < 0 || id >= V) return n;
    const float *src = table + (long)id * E;
    float *dst = out + (long)n * E;
    int e = 0;
    for (; e + 4 <= E; e += 4) wasm_v128_store(dst + e, wasm_v128_load(src + e));
    for (; e < E; e++) dst[e] = src[e];
  }
  return -1;
}

/*
 * table[ids[n], :] += dy[n, :] for n < count, after zeroing the table when `zero` is set.
 * Ids were checked by the forward gather; ids outside [0, V) are skipped (like tfjs's
 * UnsortedSegmentSum).
 */
void scatter_add_rows(const int *ids, int count, const float *dy, int V, int E, float *table, int zero) {
  if (zero) __builtin_memset(table, 0, (unsigned long)V * E * sizeof(float));
  for (int n = 0; n < count; n++) {
    int id = ids[n];
    if (id < 0 || id >= V) continue;
    float *dst = table + (long)id * E;
    const float *src = dy + (long)n * E;
    int e = 0;
    for (; e + 4 <= E; e += 4) wasm_v128_store(dst + e, wasm_f32x4_add(wasm_v128_load(dst + e), wasm_v128_load(src + e)));
    for (; e < E; e++) dst[e] += src[e];
  }
}

/* Fills n floats with zero. */
void zero_floats(float *p, int n) { __builtin_memset(p, 0, (unsigned long)n * sizeof(float)); }

/* Copies n floats (memory.copy). */
void copy_floats(float *dst, const float *src, int n) { __builtin_memcpy(dst, src, (unsigned long)n * sizeof(float)); }

/*
 * One tfjs-semantics Adam step (tfjs-core adam_optimizer.ts, t the 1-based step):
 *   m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g²
 *   w ← w − lr · (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + ε)
 * c1 = 1 / (1 − β1^t), c2 = 1 / (1 − β2^t). (Keras's form is `adam` in kernels.c.)
 */
void adam_tfjs(float *w, const float *g, float *m, float *v, int n, float lr, float beta1, float beta2, float eps,
               float c1, float c2) {
  const v128_t b1 = wasm_f32x4_splat(beta1);
  const v128_t b2 = wasm_f32x4_splat(beta2);
  const v128_t a1 = wasm_f32x4_splat(1.0f - beta1);
  const v128_t a2 = wasm_f32x4_splat(1.0f - beta2);
  const v128_t lc1 = wasm_f32x4_splat(lr * c1);
  const v128_t vc2 = wasm_f32x4_splat(c2);
  const v128_t ep = wasm_f32x4_splat(eps);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t gi = wasm_v128_load(g + i);
    v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(b1, wasm_v128_load(m + i)), wasm_f32x4_mul(a1, gi));
    v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(b2, wasm_v128_load(v + i)), wasm_f32x4_mul(a2, wasm_f32x4_mul(gi, gi)));
    wasm_v128_store(m + i, mi);
    wasm_v128_store(v + i, vi);
    v128_t den = wasm_f32x4_add(wasm_f32x4_sqrt(wasm_f32x4_mul(vi, vc2)), ep);
    wasm_v128_store(w + i, wasm_f32x4_sub(wasm_v128_load(w + i), wasm_f32x4_div(wasm_f32x4_mul(lc1, mi), den)));
  }
  for (; i < n; i++) {
    float gi = g[i];
    float mi = beta1 * m[i] + (1.0f - beta1) * gi;
    float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i] -= lr * c1 * mi / (__builtin_sqrtf(vi * c2) + eps);
  }
}
