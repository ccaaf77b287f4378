/*
 * Fused recurrent kernels for WebAssembly SIMD128 (compiled by `npm run build:wasm`,
 * embedded as base64 in kernels.wasm.ts; no compiler is needed at test or run time).
 *
 * Same equations and the same results (to float32 rounding) as src/rnn/kernels/js.ts; the
 * test tests/unit/rnn-kernels.test.ts checks that they agree. Memory is laid out by the
 * JS wrapper (wasm.ts); every function takes plain pointers.
 *
 * Internal layouts pad the gate dimension G to Gp = round_up(G, 4) so that rows of the
 * projection P, of dZ and of the (repacked) kernels are whole SIMD vectors. Pad lanes are
 * kept at zero.
 */
#include <wasm_simd128.h>

/* Built with -mbulk-memory: the compiler lowers block copies to memory.copy / memory.fill. */

#define ACT_LINEAR 0
#define ACT_TANH 1
#define ACT_SIGMOID 2
#define ACT_RELU 3

/* ---- vector math: Cephes-style expf and tanhf (about 1-2 ulp) ---- */

static inline v128_t exp4(v128_t x) {
  const v128_t hi = wasm_f32x4_splat(88.3762626647949f);
  const v128_t lo = wasm_f32x4_splat(-88.3762626647949f);
  x = wasm_f32x4_min(wasm_f32x4_max(x, lo), hi);
  v128_t fx = wasm_f32x4_add(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)), wasm_f32x4_splat(0.5f));
  fx = wasm_f32x4_floor(fx);
  x = wasm_f32x4_sub(x, wasm_f32x4_mul(fx, wasm_f32x4_splat(0.693359375f)));
  x = wasm_f32x4_sub(x, wasm_f32x4_mul(fx, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t z = wasm_f32x4_mul(x, x);
  v128_t y = wasm_f32x4_splat(1.9875691500E-4f);
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(1.3981999507E-3f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(8.3334519073E-3f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(4.1665795894E-2f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(1.6666665459E-1f));
  y = wasm_f32x4_add(wasm_f32x4_mul(y, x), wasm_f32x4_splat(5.0000001201E-1f));
  y = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(y, z), x), wasm_f32x4_splat(1.0f));
  v128_t n = wasm_i32x4_trunc_sat_f32x4(fx);
  n = wasm_i32x4_shl(wasm_i32x4_add(n, wasm_i32x4_splat(127)), 23);
  return wasm_f32x4_mul(y, n);
}

static inline v128_t sigmoid4(v128_t x) {
  const v128_t one = wasm_f32x4_splat(1.0f);
  return wasm_f32x4_div(one, wasm_f32x4_add(one, exp4(wasm_f32x4_neg(x))));
}

static inline v128_t tanh4(v128_t x) {
  const v128_t one = wasm_f32x4_splat(1.0f);
  v128_t ax = wasm_f32x4_abs(x);
  /* large |x|: 1 - 2 / (exp(2|x|) + 1), with the sign of x */
  v128_t e = exp4(wasm_f32x4_add(ax, ax));
  v128_t big = wasm_f32x4_sub(one, wasm_f32x4_div(wasm_f32x4_splat(2.0f), wasm_f32x4_add(e, one)));
  v128_t signbit = wasm_v128_and(x, wasm_i32x4_splat((int)0x80000000));
  big = wasm_v128_or(big, signbit);
  /* small |x| < 0.625: odd polynomial */
  v128_t z = wasm_f32x4_mul(x, x);
  v128_t p = wasm_f32x4_splat(-5.70498872745E-3f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(2.06390887954E-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(-5.37397155531E-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(1.33314422036E-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, z), wasm_f32x4_splat(-3.33332819422E-1f));
  v128_t small = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, z), x), x);
  v128_t isSmall = wasm_f32x4_lt(ax, wasm_f32x4_splat(0.625f));
  return wasm_v128_bitselect(small, big, isSmall);
}

static inline v128_t act4(int code, v128_t x) {
  switch (code) {
    case ACT_TANH: return tanh4(x);
    case ACT_SIGMOID: return sigmoid4(x);
    case ACT_RELU: return wasm_f32x4_max(x, wasm_f32x4_splat(0.0f));
    default: return x;
  }
}

static inline float dact(int code, float y) {
  switch (code) {
    case ACT_TANH: return 1.0f - y * y;
    case ACT_SIGMOID: return y * (1.0f - y);
    case ACT_RELU: return y > 0.0f ? 1.0f : 0.0f;
    default: return 1.0f;
  }
}

/* Applies an activation to n floats of a buffer padded to a multiple of 4. */
static void act_inplace(int code, float *buf, int n) {
  for (int j = 0; j < n; j += 4) wasm_v128_store(buf + j, act4(code, wasm_v128_load(buf + j)));
}

/* Exposed for the accuracy test of the vector math. */
void apply_activation(int code, float *buf, int n) { act_inplace(code, buf, (n + 3) & ~3); }

static inline int round4(int n) { return (n + 3) & ~3; }

static inline float hsum(v128_t v) {
  return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) + wasm_f32x4_extract_lane(v, 2) +
         wasm_f32x4_extract_lane(v, 3);
}

/*
 * Gradients vanish through time; once below FLT_MIN they become subnormal, and x86
 * processes subnormals ~100x slower (WebAssembly cannot enable flush-to-zero). TensorFlow
 * on CPU flushes subnormals to zero too, so flushing here keeps Keras parity and speed.
 */
#define TINY 1.17549435e-38f
static inline float flush(float x) { return (x < TINY && x > -TINY) ? 0.0f : x; }
static inline v128_t flush4(v128_t v) {
  return wasm_v128_and(v, wasm_f32x4_ge(wasm_f32x4_abs(v), wasm_f32x4_splat(TINY)));
}

/* Repacks a row-major [rows, g] matrix into [rows, gp] with zero pad lanes. */
void pad_rows(const float *src, int rows, int g, float *dst) {
  int gp = round4(g);
  for (int r = 0; r < rows; r++) {
    for (int j = 0; j < g; j++) dst[r * gp + j] = src[r * g + j];
    for (int j = g; j < gp; j++) dst[r * gp + j] = 0.0f;
  }
}

/* Inverse of pad_rows. */
void unpad_rows(const float *src, int rows, int g, float *dst) {
  int gp = round4(g);
  for (int r = 0; r < rows; r++)
    for (int j = 0; j < g; j++) dst[r * g + j] = src[r * gp + j];
}

#define INLINE static inline __attribute__((always_inline))

/* P rows with a compile-time number of vectors per row, so accumulators stay in registers. */
INLINE void matmul_bias_nv(const float *a, int n, int d, const float *wp, const float *bp, float *p, const int nv) {
  const int gp = nv * 4;
  for (int r = 0; r < n; r++) {
    v128_t acc[8];
    for (int v = 0; v < nv; v++) acc[v] = wasm_v128_load(bp + 4 * v);
    const float *ar = a + r * d;
    for (int k = 0; k < d; k++) {
      v128_t av = wasm_f32x4_splat(ar[k]);
      const float *wk = wp + k * gp;
      for (int v = 0; v < nv; v++) acc[v] = wasm_f32x4_add(acc[v], wasm_f32x4_mul(av, wasm_v128_load(wk + 4 * v)));
    }
    for (int v = 0; v < nv; v++) wasm_v128_store(p + r * gp + 4 * v, acc[v]);
  }
}

/* P[n, gp] = A[n, d] · Wp[d, gp] + bp[gp]. */
void matmul_bias(const float *a, int n, int d, const float *wp, int gp, const float *bp, float *p) {
  switch (gp >> 2) {
    case 1: matmul_bias_nv(a, n, d, wp, bp, p, 1); return;
    case 2: matmul_bias_nv(a, n, d, wp, bp, p, 2); return;
    case 3: matmul_bias_nv(a, n, d, wp, bp, p, 3); return;
    case 4: matmul_bias_nv(a, n, d, wp, bp, p, 4); return;
    case 5: matmul_bias_nv(a, n, d, wp, bp, p, 5); return;
    case 6: matmul_bias_nv(a, n, d, wp, bp, p, 6); return;
    case 7: matmul_bias_nv(a, n, d, wp, bp, p, 7); return;
    case 8: matmul_bias_nv(a, n, d, wp, bp, p, 8); return;
    default: break;
  }
  for (int r = 0; r < n; r++) {
    float *pr = p + r * gp;
    for (int j = 0; j < gp; j += 4) wasm_v128_store(pr + j, wasm_v128_load(bp + j));
    const float *ar = a + r * d;
    for (int k = 0; k < d; k++) {
      v128_t av = wasm_f32x4_splat(ar[k]);
      const float *wk = wp + k * gp;
      for (int j = 0; j < gp; j += 4)
        wasm_v128_store(pr + j, wasm_f32x4_add(wasm_v128_load(pr + j), wasm_f32x4_mul(av, wasm_v128_load(wk + j))));
    }
  }
}

/* Two rows k, k+1 of dWp at a time, accumulated in registers over all n rows of A and dZ. */
INLINE void matmul_ta_nv(const float *a, int n, int d, const float *dz, float *dwp, const int nv) {
  const int gp = nv * 4;
  int k = 0;
  for (; k + 2 <= d; k += 2) {
    v128_t acc0[8], acc1[8];
    for (int v = 0; v < nv; v++) {
      acc0[v] = wasm_v128_load(dwp + k * gp + 4 * v);
      acc1[v] = wasm_v128_load(dwp + (k + 1) * gp + 4 * v);
    }
    for (int r = 0; r < n; r++) {
      v128_t a0 = wasm_f32x4_splat(a[r * d + k]);
      v128_t a1 = wasm_f32x4_splat(a[r * d + k + 1]);
      const float *zr = dz + r * gp;
      for (int v = 0; v < nv; v++) {
        v128_t zv = wasm_v128_load(zr + 4 * v);
        acc0[v] = wasm_f32x4_add(acc0[v], wasm_f32x4_mul(a0, zv));
        acc1[v] = wasm_f32x4_add(acc1[v], wasm_f32x4_mul(a1, zv));
      }
    }
    for (int v = 0; v < nv; v++) {
      wasm_v128_store(dwp + k * gp + 4 * v, acc0[v]);
      wasm_v128_store(dwp + (k + 1) * gp + 4 * v, acc1[v]);
    }
  }
  for (; k < d; k++) {
    v128_t acc0[8];
    for (int v = 0; v < nv; v++) acc0[v] = wasm_v128_load(dwp + k * gp + 4 * v);
    for (int r = 0; r < n; r++) {
      v128_t a0 = wasm_f32x4_splat(a[r * d + k]);
      const float *zr = dz + r * gp;
      for (int v = 0; v < nv; v++) acc0[v] = wasm_f32x4_add(acc0[v], wasm_f32x4_mul(a0, wasm_v128_load(zr + 4 * v)));
    }
    for (int v = 0; v < nv; v++) wasm_v128_store(dwp + k * gp + 4 * v, acc0[v]);
  }
}

/* dWp[d, gp] += A[n, d]ᵀ · dZ[n, gp];  dbp[gp] += Σ_n dZ[n, :]. */
void matmul_ta_acc(const float *a, int n, int d, const float *dz, int gp, float *dwp, float *dbp) {
  for (int r = 0; r < n; r++) {
    const float *zr = dz + r * gp;
    for (int j = 0; j < gp; j += 4)
      wasm_v128_store(dbp + j, wasm_f32x4_add(wasm_v128_load(dbp + j), wasm_v128_load(zr + j)));
  }
  switch (gp >> 2) {
    case 1: matmul_ta_nv(a, n, d, dz, dwp, 1); return;
    case 2: matmul_ta_nv(a, n, d, dz, dwp, 2); return;
    case 3: matmul_ta_nv(a, n, d, dz, dwp, 3); return;
    case 4: matmul_ta_nv(a, n, d, dz, dwp, 4); return;
    case 5: matmul_ta_nv(a, n, d, dz, dwp, 5); return;
    case 6: matmul_ta_nv(a, n, d, dz, dwp, 6); return;
    case 7: matmul_ta_nv(a, n, d, dz, dwp, 7); return;
    case 8: matmul_ta_nv(a, n, d, dz, dwp, 8); return;
    default: break;
  }
  for (int r = 0; r < n; r++) {
    const float *zr = dz + r * gp;
    const float *ar = a + r * d;
    for (int k = 0; k < d; k++) {
      v128_t avv = wasm_f32x4_splat(ar[k]);
      float *wk = dwp + k * gp;
      for (int j = 0; j < gp; j += 4)
        wasm_v128_store(wk + j, wasm_f32x4_add(wasm_v128_load(wk + j), wasm_f32x4_mul(avv, wasm_v128_load(zr + j))));
    }
  }
}

INLINE void matmul_tb_nv(const float *dz, int n, const float *wp, int d, float *dx, const int nv) {
  const int gp = nv * 4;
  for (int r = 0; r < n; r++) {
    const float *zr = dz + r * gp;
    v128_t zv[8];
    for (int v = 0; v < nv; v++) zv[v] = wasm_v128_load(zr + 4 * v);
    for (int k = 0; k < d; k++) {
      const float *wk = wp + k * gp;
      v128_t s = wasm_f32x4_mul(zv[0], wasm_v128_load(wk));
      for (int v = 1; v < nv; v++) s = wasm_f32x4_add(s, wasm_f32x4_mul(zv[v], wasm_v128_load(wk + 4 * v)));
      dx[r * d + k] = hsum(s);
    }
  }
}

/* dX[n, d] = dZ[n, gp] · Wp[d, gp]ᵀ. */
void matmul_tb(const float *dz, int n, int gp, const float *wp, int d, float *dx) {
  switch (gp >> 2) {
    case 1: matmul_tb_nv(dz, n, wp, d, dx, 1); return;
    case 2: matmul_tb_nv(dz, n, wp, d, dx, 2); return;
    case 3: matmul_tb_nv(dz, n, wp, d, dx, 3); return;
    case 4: matmul_tb_nv(dz, n, wp, d, dx, 4); return;
    case 5: matmul_tb_nv(dz, n, wp, d, dx, 5); return;
    case 6: matmul_tb_nv(dz, n, wp, d, dx, 6); return;
    case 7: matmul_tb_nv(dz, n, wp, d, dx, 7); return;
    case 8: matmul_tb_nv(dz, n, wp, d, dx, 8); return;
    default: break;
  }
  for (int r = 0; r < n; r++) {
    const float *zr = dz + r * gp;
    for (int k = 0; k < d; k++) {
      const float *wk = wp + k * gp;
      v128_t s = wasm_f32x4_splat(0.0f);
      for (int j = 0; j < gp; j += 4) s = wasm_f32x4_add(s, wasm_f32x4_mul(wasm_v128_load(zr + j), wasm_v128_load(wk + j)));
      dx[r * d + k] = hsum(s);
    }
  }
}

INLINE void recur_row_nv(float *z, const float *init, const float *h, const float *up, int u, const int nv) {
  const int gp = nv * 4;
  v128_t acc[8];
  for (int v = 0; v < nv; v++) acc[v] = wasm_v128_load(init + 4 * v);
  for (int k = 0; k < u; k++) {
    v128_t hv = wasm_f32x4_splat(h[k]);
    const float *uk = up + k * gp;
    for (int v = 0; v < nv; v++) acc[v] = wasm_f32x4_add(acc[v], wasm_f32x4_mul(hv, wasm_v128_load(uk + 4 * v)));
  }
  for (int v = 0; v < nv; v++) wasm_v128_store(z + 4 * v, acc[v]);
}

/* z[gp] = init[gp] + Σ_k h[k] · Up[k, gp]. */
static void recur_row(float *z, const float *init, const float *h, const float *up, int u, int gp) {
  switch (gp >> 2) {
    case 1: recur_row_nv(z, init, h, up, u, 1); return;
    case 2: recur_row_nv(z, init, h, up, u, 2); return;
    case 3: recur_row_nv(z, init, h, up, u, 3); return;
    case 4: recur_row_nv(z, init, h, up, u, 4); return;
    case 5: recur_row_nv(z, init, h, up, u, 5); return;
    case 6: recur_row_nv(z, init, h, up, u, 6); return;
    case 7: recur_row_nv(z, init, h, up, u, 7); return;
    case 8: recur_row_nv(z, init, h, up, u, 8); return;
    default: break;
  }
  for (int j = 0; j < gp; j += 4) wasm_v128_store(z + j, wasm_v128_load(init + j));
  for (int k = 0; k < u; k++) {
    v128_t hv = wasm_f32x4_splat(h[k]);
    const float *uk = up + k * gp;
    for (int j = 0; j < gp; j += 4)
      wasm_v128_store(z + j, wasm_f32x4_add(wasm_v128_load(z + j), wasm_f32x4_mul(hv, wasm_v128_load(uk + j))));
  }
}

/*
 * Per-sequence recurrent kernel with Keras's recurrent dropout folded in:
 * ueff[k, j] = up[k, j] · rm[b, gate(j), k] (R = 1: one mask for every column), pad lanes 0.
 * h · ueff then equals Σ_k (h_k · m_gate,k) · U[k, j], Keras's per-gate masked product.
 */
static void effective_recurrent(const float *up, const float *rm, int b, int R, int u, int gp, int G, float *ueff) {
  for (int k = 0; k < u; k++) {
    for (int j = 0; j < G; j++) {
      int g = R == 1 ? 0 : j / u;
      ueff[k * gp + j] = up[k * gp + j] * rm[(b * R + g) * u + k];
    }
    for (int j = G; j < gp; j++) ueff[k * gp + j] = 0.0f;
  }
}

/*
 * Input dropout: the input kernel sequence b sees, wb[d, j] = wp[d, j] · im[(b·I + gate(j))·D + d]
 * (I masks per sequence: 1, or one per gate block of u columns); pad lanes 0.
 */
static void masked_kernel(const float *wp, const float *im, int I, int b, int D, int u, int gp, int G, float *wb) {
  for (int d = 0; d < D; d++) {
    for (int j = 0; j < G; j++) {
      int g = I == 1 ? 0 : j / u;
      wb[d * gp + j] = wp[d * gp + j] * im[(b * I + g) * D + d];
    }
    for (int j = G; j < gp; j++) wb[d * gp + j] = 0.0f;
  }
}

/* P[B·T, gp] with input dropout: each sequence's T rows times its masked kernel (wb: [D, gp] scratch). */
void project_masked(const float *x, int B, int T, int D, const float *wp, int gp, const float *bp, float *p,
                    const float *im, int I, int u, int G, float *wb) {
  for (int b = 0; b < B; b++) {
    masked_kernel(wp, im, I, b, D, u, gp, G, wb);
    matmul_bias(x + b * T * D, T, D, wb, gp, bp, p + b * T * gp);
  }
}

/*
 * Backward of project_masked: dwp += Σ_b (x_bᵀ·dZ_b) ⊙ M_b, dbp += Σ dZ, dx_b = dZ_b · W_bᵀ.
 * wb, dwb: [D, gp] scratch.
 */
void project_masked_backward(const float *x, int B, int T, int D, const float *dz, int gp, const float *wp,
                             const float *im, int I, int u, int G, float *dwp, float *dbp, float *dx, float *wb,
                             float *dwb) {
  for (int b = 0; b < B; b++) {
    masked_kernel(wp, im, I, b, D, u, gp, G, wb);
    for (int j = 0; j < D * gp; j++) dwb[j] = 0.0f;
    matmul_ta_acc(x + b * T * D, T, D, dz + b * T * gp, gp, dwb, dbp);
    for (int d = 0; d < D; d++)
      for (int j = 0; j < G; j++) {
        int g = I == 1 ? 0 : j / u;
        dwp[d * gp + j] += dwb[d * gp + j] * im[(b * I + g) * D + d];
      }
    matmul_tb(dz + b * T * gp, T, gp, wb, D, dx + b * T * D);
  }
}

static inline int gates_of(int cell) { return cell == 1 ? 4 : cell == 0 ? 1 : 3; }

/*
 * Forward recurrence for every cell kind.
 *   cell: 0 simple, 1 lstm, 2 gru (reset after), 3 gru (reset before)
 *   p [B·T, gp] projections (bias included); up [u, gp] padded recurrent kernel;
 *   brec [gp] recurrent bias (GRU reset after; zeros otherwise)
 *   outputs: h [B·T, u] (carried state at masked steps); gates [B·T, gp] (activated);
 *   c [B·T, u] (LSTM c / GRU rec_h); ac [B·T, u] (LSTM act(c));
 *   out [B, OT, u] with OT = T + 1 (h_T) or T + 2 (LSTM: h_T, c_T)
 *   optional (0 = absent): mask [B·T] bytes (1 process, 0 skip); h0, c0 [B, u] initial
 *   states; rm [B, R, u] scaled recurrent dropout masks with ueff [u, gp] scratch
 *   zero_out: outputs at masked steps are 0 instead of the previous output
 *   scratch: at least 4·gp + 8·u + 64 floats
 */
void seq_forward(int cell, const float *p, const float *up, const float *brec, int B, int T, int u, int gp, int act,
                 int ract, float *h, float *gates, float *c, float *ac, float *out, float *scratch,
                 const unsigned char *mask, const float *h0, const float *c0, const float *rm, float *ueff,
                 int zero_out) {
  int up4 = round4(u);
  float *z = scratch;
  float *hp = z + gp + 4;
  float *cp = hp + up4 + 4;
  float *tmp = cp + up4 + 4;
  float *rh = tmp + gp + 4;
  float *pout = rh + up4 + 4;
  /*
   * LSTM with Keras's default activations (sigmoid gates, tanh candidate): the whole gate row
   * [i | f | c | o] (G = 4u floats, a multiple of 4) is activated in G/4 vectors, one sigmoid
   * per lane, as y = s·σ(s·x) + b with (s, b) = (1, 0) for gate lanes and (2, −1) for the
   * candidate's, since tanh(x) = 2σ(2x) − 1 (absolute error about 1e-7, float32 rounding of a
   * value near 1). Otherwise each block is activated on its own, whole vectors overhanging.
   */
  float *lane_s = pout + up4 + 4;
  float *lane_b = lane_s + gp;
  int fused_gates = cell == 1 && act == ACT_TANH && ract == ACT_SIGMOID;
  if (fused_gates) {
    for (int j = 0; j < gp; j++) {
      int candidate = j >= 2 * u && j < 3 * u;
      lane_s[j] = candidate ? 2.0f : 1.0f;
      lane_b[j] = candidate ? -1.0f : 0.0f;
    }
  }
  int OT = T + (cell == 1 ? 2 : 1);
  int G = gates_of(cell) * u;
  int R = cell == 0 ? 1 : gates_of(cell);
  for (int b = 0; b < B; b++) {
    for (int j = 0; j < up4 + 4; j++) hp[j] = cp[j] = rh[j] = pout[j] = 0.0f;
    if (h0) for (int j = 0; j < u; j++) hp[j] = h0[b * u + j];
    if (c0) for (int j = 0; j < u; j++) cp[j] = c0[b * u + j];
    const float *U = up;
    if (rm) {
      effective_recurrent(up, rm, b, R, u, gp, G, ueff);
      U = ueff;
    }
    for (int t = 0; t < T; t++) {
      int row = b * T + t;
      const float *pr = p + row * gp;
      float *gr = gates + row * gp;
      float *hr = h + row * u;
      float *orow = out + (b * OT + t) * u;
      if (mask && !mask[row]) {
        /* Keras: a masked step carries the states; its output is the previous one (or 0). */
        for (int j = 0; j < u; j++) {
          hr[j] = hp[j];
          orow[j] = zero_out ? 0.0f : pout[j];
        }
        if (cell == 1)
          for (int j = 0; j < u; j++) c[row * u + j] = cp[j];
        continue;
      }
      if (cell == 1) {
        recur_row(z, pr, hp, U, u, gp);
        if (fused_gates) {
          const v128_t one = wasm_f32x4_splat(1.0f);
          for (int j = 0; j < gp; j += 4) {
            v128_t sc = wasm_v128_load(lane_s + j);
            v128_t e = exp4(wasm_f32x4_neg(wasm_f32x4_mul(sc, wasm_v128_load(z + j))));
            v128_t sg = wasm_f32x4_div(one, wasm_f32x4_add(one, e));
            wasm_v128_store(gr + j, wasm_f32x4_add(wasm_f32x4_mul(sc, sg), wasm_v128_load(lane_b + j)));
          }
        } else {
          /* z holds [i | f | c | o]. Activate block by block in increasing order, writing
             whole vectors: a block's overhanging lanes are overwritten by the next block, and
             the last block's overhang lands in the next row (or the arena's slack). */
          for (int k = 0; k < 4; k++) {
            int code = k == 2 ? act : ract;
            for (int j = 0; j < u; j += 4)
              wasm_v128_store(gr + k * u + j, act4(code, wasm_v128_load(z + k * u + j)));
          }
        }
        for (int j = 0; j < u; j++) {
          float cn = gr[u + j] * cp[j] + gr[j] * gr[2 * u + j];
          tmp[j] = cn;
          cp[j] = cn;
          c[row * u + j] = cn;
        }
        act_inplace(act, tmp, up4);
        for (int j = 0; j < u; j++) {
          ac[row * u + j] = tmp[j];
          hr[j] = gr[3 * u + j] * tmp[j];
        }
      } else if (cell == 2) {
        recur_row(z, brec, hp, U, u, gp);
        /* z, r pre-activations */
        for (int j = 0; j < 2 * u; j++) tmp[j] = pr[j] + z[j];
        for (int j = 2 * u; j < round4(2 * u); j++) tmp[j] = 0.0f;
        act_inplace(ract, tmp, round4(2 * u));
        for (int j = 0; j < 2 * u; j++) gr[j] = tmp[j];
        for (int j = 0; j < u; j++) {
          c[row * u + j] = z[2 * u + j];
          rh[j] = pr[2 * u + j] + gr[u + j] * z[2 * u + j];
        }
        act_inplace(act, rh, up4);
        for (int j = 0; j < u; j++) {
          float zg = gr[j];
          gr[2 * u + j] = rh[j];
          hr[j] = zg * hp[j] + (1.0f - zg) * rh[j];
        }
      } else if (cell == 3) {
        for (int j = 0; j < gp; j += 4) wasm_v128_store(z + j, wasm_v128_load(pr + j));
        /* only the z and r columns take h_prev·U here */
        for (int k = 0; k < u; k++) {
          float hk = hp[k];
          if (hk == 0.0f) continue;
          for (int j = 0; j < 2 * u; j++) z[j] += hk * U[k * gp + j];
        }
        for (int j = 0; j < 2 * u; j++) tmp[j] = z[j];
        for (int j = 2 * u; j < round4(2 * u); j++) tmp[j] = 0.0f;
        act_inplace(ract, tmp, round4(2 * u));
        for (int j = 0; j < 2 * u; j++) gr[j] = tmp[j];
        for (int j = 0; j < u; j++) rh[j] = gr[u + j] * hp[j];
        for (int j = 0; j < u; j++) {
          float s = z[2 * u + j];
          for (int k = 0; k < u; k++) s += rh[k] * U[k * gp + 2 * u + j];
          tmp[j] = s;
        }
        for (int j = u; j < up4; j++) tmp[j] = 0.0f;
        act_inplace(act, tmp, up4);
        for (int j = 0; j < u; j++) {
          float zg = gr[j];
          gr[2 * u + j] = tmp[j];
          hr[j] = zg * hp[j] + (1.0f - zg) * tmp[j];
        }
      } else {
        recur_row(z, pr, hp, U, u, gp);
        act_inplace(act, z, gp);
        for (int j = 0; j < u; j++) hr[j] = z[j];
      }
      for (int j = 0; j < u; j++) {
        hp[j] = hr[j];
        pout[j] = hr[j];
        orow[j] = hr[j];
      }
    }
    float *hrow = out + (b * OT + T) * u;
    for (int j = 0; j < u; j++) hrow[j] = hp[j];
    if (cell == 1)
      for (int j = 0; j < u; j++) hrow[u + j] = cp[j];
  }
}

/*
 * Backward recurrence: writes dZ [B·T, gp] (gradient of the input-projection
 * pre-activations; zero rows at masked steps), accumulates dUp [u, gp] and dbrec [gp]
 * (GRU reset after). dout has the forward output's layout [B, OT, u].
 * Optional (0 = absent) as in seq_forward; with rm, ueff and dueff are [u, gp] scratch.
 * dh0, dc0 [B, u] (0 = not wanted) receive the gradients of the initial states.
 * scratch: at least 4·gp + 8·u + 64 floats.
 */
void seq_backward(int cell, const float *dout, const float *up, int B, int T, int u, int gp, int act, int ract,
                  const float *h, const float *gates, const float *c, const float *ac, float *dz, float *dup,
                  float *dbrec, float *scratch, const unsigned char *mask, const float *h0, const float *c0,
                  const float *rm, float *ueff, float *dueff, int zero_out, float *dh0, float *dc0) {
  int up4 = round4(u);
  float *dhn = scratch;
  float *dcn = dhn + up4 + 4;
  float *drec = dcn + up4 + 4;
  float *dhd = drec + gp + 4;
  float *hpz = dhd + up4 + 4;
  float *dcarry = hpz + up4 + 4;
  int OT = T + (cell == 1 ? 2 : 1);
  int G = gates_of(cell) * u;
  int R = cell == 0 ? 1 : gates_of(cell);
  int gRec = cell == 3 ? 2 * u : gp;
  for (int b = 0; b < B; b++) {
    const float *U = up;
    float *dU = dup;
    if (rm) {
      effective_recurrent(up, rm, b, R, u, gp, G, ueff);
      U = ueff;
      dU = dueff;
      for (int j = 0; j < u * gp; j++) dueff[j] = 0.0f;
    }
    for (int j = 0; j < up4 + 4; j++) dhn[j] = dcn[j] = dcarry[j] = 0.0f;
    for (int j = 0; j < u; j++) dhn[j] = dout[(b * OT + T) * u + j];
    if (cell == 1)
      for (int j = 0; j < u; j++) dcn[j] = dout[(b * OT + T + 1) * u + j];
    for (int t = T - 1; t >= 0; t--) {
      int row = b * T + t;
      const float *gr = gates + row * gp;
      const float *orow = dout + (b * OT + t) * u;
      float *dzr = dz + row * gp;
      if (mask && !mask[row]) {
        /* states pass through unchanged; the output was the previous output */
        for (int j = 0; j < gp; j++) dzr[j] = 0.0f;
        if (!zero_out)
          for (int j = 0; j < u; j++) dcarry[j] += orow[j];
        continue;
      }
      int prev = t > 0 ? (row - 1) * u : -1;
      for (int k = 0; k < u; k++) hpz[k] = prev >= 0 ? h[prev + k] : h0 ? h0[b * u + k] : 0.0f;
      for (int j = 0; j < gp + 4; j++) drec[j] = 0.0f;
      if (cell == 1) {
        for (int j = 0; j < u; j++) {
          float dh = orow[j] + dcarry[j] + dhn[j];
          float ig = gr[j], fg = gr[u + j], gg = gr[2 * u + j], og = gr[3 * u + j];
          float a = ac[row * u + j];
          float cprev = prev >= 0 ? c[prev + j] : c0 ? c0[b * u + j] : 0.0f;
          float dc = dcn[j] + dh * og * dact(act, a);
          dcn[j] = dc * fg;
          drec[j] = dc * gg * dact(ract, ig);
          drec[u + j] = dc * cprev * dact(ract, fg);
          drec[2 * u + j] = dc * ig * dact(act, gg);
          drec[3 * u + j] = dh * a * dact(ract, og);
          dhd[j] = 0.0f;
        }
        for (int j = 0; j < gp; j += 4) wasm_v128_store(dzr + j, wasm_v128_load(drec + j));
      } else if (cell == 2) {
        for (int j = 0; j < u; j++) {
          float dh = orow[j] + dcarry[j] + dhn[j];
          float zg = gr[j], rg = gr[u + j], hh = gr[2 * u + j];
          float dzz = dh * (hpz[j] - hh) * dact(ract, zg);
          float dah = dh * (1.0f - zg) * dact(act, hh);
          float dr = dah * c[row * u + j] * dact(ract, rg);
          dzr[j] = dzz;
          dzr[u + j] = dr;
          dzr[2 * u + j] = dah;
          drec[j] = dzz;
          drec[u + j] = dr;
          drec[2 * u + j] = dah * rg;
          dhd[j] = dh * zg;
        }
        for (int j = 3 * u; j < gp; j++) dzr[j] = 0.0f;
        for (int j = 0; j < gp; j += 4)
          wasm_v128_store(dbrec + j, wasm_f32x4_add(wasm_v128_load(dbrec + j), wasm_v128_load(drec + j)));
      } else if (cell == 3) {
        for (int j = 0; j < u; j++) {
          float dh = orow[j] + dcarry[j] + dhn[j];
          float zg = gr[j], hh = gr[2 * u + j];
          dzr[j] = dh * (hpz[j] - hh) * dact(ract, zg);
          dzr[2 * u + j] = dh * (1.0f - zg) * dact(act, hh);
          dhd[j] = dh * zg;
        }
        for (int k = 0; k < u; k++) {
          const float *uk = U + k * gp + 2 * u;
          float *duk = dU + k * gp + 2 * u;
          float drhp = 0.0f;
          for (int j = 0; j < u; j++) drhp += dzr[2 * u + j] * uk[j];
          float rk = gr[u + k];
          float rhv = rk * hpz[k];
          if (rhv != 0.0f)
            for (int j = 0; j < u; j++) duk[j] += rhv * dzr[2 * u + j];
          dzr[u + k] = drhp * hpz[k] * dact(ract, rk);
          dhd[k] += drhp * rk;
        }
        for (int j = 3 * u; j < gp; j++) dzr[j] = 0.0f;
        for (int j = 0; j < 2 * u; j++) drec[j] = dzr[j];
      } else {
        for (int j = 0; j < u; j++) {
          float d = (orow[j] + dcarry[j] + dhn[j]) * dact(act, h[row * u + j]);
          dzr[j] = d;
          drec[j] = d;
          dhd[j] = 0.0f;
        }
        for (int j = u; j < gp; j++) dzr[j] = 0.0f;
      }
      for (int j = 0; j < u; j++) dcarry[j] = 0.0f;
      /* Flush subnormal gradients (see flush()). */
      for (int j = 0; j < gp; j += 4) {
        wasm_v128_store(drec + j, flush4(wasm_v128_load(drec + j)));
        wasm_v128_store(dzr + j, flush4(wasm_v128_load(dzr + j)));
      }
      for (int j = 0; j < u; j++) dcn[j] = flush(dcn[j]);
      /* dU += h_prevᵀ·drec;  dh_prev = dhd + drec·Uᵀ */
      int colsp = round4(gRec);
      for (int k = 0; k < u; k++) {
        const float *uk = U + k * gp;
        float *duk = dU + k * gp;
        v128_t s = wasm_f32x4_splat(0.0f);
        float hk = hpz[k];
        v128_t hv = wasm_f32x4_splat(hk);
        for (int j = 0; j < colsp; j += 4) {
          v128_t dv = wasm_v128_load(drec + j);
          s = wasm_f32x4_add(s, wasm_f32x4_mul(dv, wasm_v128_load(uk + j)));
          if (hk != 0.0f) wasm_v128_store(duk + j, wasm_f32x4_add(wasm_v128_load(duk + j), wasm_f32x4_mul(hv, dv)));
        }
        dhn[k] = flush(dhd[k] + hsum(s));
      }
    }
    if (dh0)
      for (int j = 0; j < u; j++) dh0[b * u + j] = dhn[j];
    if (dc0 && cell == 1)
      for (int j = 0; j < u; j++) dc0[b * u + j] = dcn[j];
    if (rm) {
      /* dU[k, j] += Σ_t h_k · m_gate(j),k · drec_j: fold this sequence's mask in. */
      for (int k = 0; k < u; k++)
        for (int j = 0; j < G; j++) {
          int g = R == 1 ? 0 : j / u;
          dup[k * gp + j] += dueff[k * gp + j] * rm[(b * R + g) * u + k];
        }
    }
  }
}

/* Dense Keras Adam step over n floats. */
void adam(float *w, const float *g, float *m, float *v, int n, float alpha, float beta1, float beta2, float eps) {
  const v128_t a1 = wasm_f32x4_splat(1.0f - beta1);
  const v128_t a2 = wasm_f32x4_splat(1.0f - beta2);
  const v128_t al = wasm_f32x4_splat(alpha);
  const v128_t ep = wasm_f32x4_splat(eps);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t gi = wasm_v128_load(g + i);
    v128_t mi = wasm_v128_load(m + i);
    v128_t vi = wasm_v128_load(v + i);
    mi = wasm_f32x4_add(mi, wasm_f32x4_mul(wasm_f32x4_sub(gi, mi), a1));
    vi = wasm_f32x4_add(vi, wasm_f32x4_mul(wasm_f32x4_sub(wasm_f32x4_mul(gi, gi), vi), a2));
    wasm_v128_store(m + i, mi);
    wasm_v128_store(v + i, vi);
    v128_t upd = wasm_f32x4_div(wasm_f32x4_mul(al, mi), wasm_f32x4_add(wasm_f32x4_sqrt(vi), ep));
    wasm_v128_store(w + i, wasm_f32x4_sub(wasm_v128_load(w + i), upd));
  }
  for (; i < n; i++) {
    float gi = g[i];
    float mi = m[i] + (gi - m[i]) * (1.0f - beta1);
    float vi = v[i] + (gi * gi - v[i]) * (1.0f - beta2);
    m[i] = mi;
    v[i] = vi;
    w[i] -= alpha * mi / (__builtin_sqrtf(vi) + eps);
  }
}
