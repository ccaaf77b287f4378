/**
 * Principal component analysis of a small set of vectors (`rnn.inspect.pca`), for drawing a
 * recurrent layer's hidden states h_t as a path in the plane of their two main directions.
 *
 * The algorithm, in float64: centre the rows on their mean, form the features x features
 * sample covariance (divided by n - 1), and diagonalise it with cyclic Jacobi rotations. The
 * covariance is symmetric, so Jacobi converges to its eigenvalues (the variances along the
 * axes) and an orthonormal set of eigenvectors (the axes) without the pivoting an SVD needs;
 * at the sizes this is for (a few to a few hundred units) each sweep is cheap and 5-10 sweeps
 * reach float64 precision. An axis is only defined up to its sign, so each axis is flipped to
 * make its largest-magnitude entry positive: the same data always give the same picture.
 */

/** Options of `pca`. */
export interface PcaOptions {
  /** How many axes to keep (default 2; at most the number of features). */
  components?: number;
}

/** What `pca` returns. Every array is plain numbers (float64). */
export interface PcaResult {
  /** Mean of the rows, [features]. */
  mean: number[];
  /** The principal axes, [components][features]: unit length, orthogonal, by decreasing variance. */
  components: number[][];
  /** Sample variance (divided by n - 1) of the rows along each kept axis, [components]. */
  explainedVariance: number[];
  /** Each kept axis's share of the total variance, [components] (0 when all rows are equal). */
  explainedVarianceRatio: number[];
  /** The rows in the new coordinates: (row - mean) · axis, [rows][components]. */
  scores: number[][];
  /** Projects other rows (same number of features) with this mean and these axes. */
  project(rows: number[][]): number[][];
}

function checkRows(rows: unknown, what: string, features?: number): number[][] {
  if (!Array.isArray(rows) || rows.length === 0) throw new TypeError(`rnn.inspect.pca: ${what} must be a non-empty array of rows (number[][]).`);
  const d = features ?? (Array.isArray(rows[0]) ? rows[0].length : 0);
  if (d === 0) throw new TypeError(`rnn.inspect.pca: ${what}[0] must be a non-empty array of numbers.`);
  rows.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== d) throw new RangeError(`rnn.inspect.pca: ${what}[${i}] must have ${d} numbers${Array.isArray(r) ? `, got ${r.length}` : ''}.`);
    r.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`rnn.inspect.pca: ${what}[${i}][${j}] is ${String(v)}, not a finite number.`);
    });
  });
  return rows as number[][];
}

/**
 * Eigenvalues and eigenvectors of the symmetric matrix `a` (n x n, row-major, overwritten) by
 * cyclic Jacobi rotations. Returns the eigenvalues and the eigenvectors as the columns of `v`.
 */
function jacobiEigen(a: Float64Array, n: number): { values: Float64Array; v: Float64Array } {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < n; p++) {
      diag += a[p * n + p] ** 2;
      for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        // The rotation angle that zeroes a[p][q] (numerically stable form of tan(2θ) = 2apq / (aqq - app)).
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
  return { values, v };
}

/**
 * Principal components of `rows` ([rows][features], at least 2 rows): the mean, the first
 * `components` axes (default 2) with their variances, and the rows' coordinates on them.
 * Typical use: the hidden states of `rnn.inspect.gates(...)`'s `values.h` over one or more
 * reviews, to draw each review as a path in the plane of the first two axes.
 */
export function pca(rows: number[][], options: PcaOptions = {}): PcaResult {
  if (options === null || typeof options !== 'object') throw new TypeError('rnn.inspect.pca: options must be an object { components }.');
  for (const key of Object.keys(options)) {
    if (key !== 'components') throw new TypeError(`rnn.inspect.pca: unknown option '${key}' (the only option is 'components').`);
  }
  const x = checkRows(rows, 'rows');
  const n = x.length;
  const d = x[0].length;
  if (n < 2) throw new RangeError('rnn.inspect.pca: needs at least 2 rows to measure a variance.');
  const k = options.components ?? 2;
  if (!Number.isInteger(k) || k < 1 || k > d) throw new RangeError(`rnn.inspect.pca: 'components' must be an integer from 1 to ${d} (the number of features), got ${String(k)}.`);

  const mean = new Array<number>(d).fill(0);
  for (const r of x) for (let j = 0; j < d; j++) mean[j] += r[j] / n;
  const cov = new Float64Array(d * d);
  for (const r of x) {
    for (let i = 0; i < d; i++) {
      const ci = r[i] - mean[i];
      for (let j = i; j < d; j++) cov[i * d + j] += ci * (r[j] - mean[j]);
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      cov[i * d + j] /= n - 1;
      cov[j * d + i] = cov[i * d + j];
    }
  }
  let total = 0;
  for (let i = 0; i < d; i++) total += cov[i * d + i];

  const { values, v } = jacobiEigen(cov, d);
  const order = Array.from({ length: d }, (_, i) => i).sort((a, b) => values[b] - values[a]);
  const components = order.slice(0, k).map((col) => {
    const axis = Array.from({ length: d }, (_, r) => v[r * d + col]);
    let big = 0;
    for (const e of axis) if (Math.abs(e) > Math.abs(big)) big = e;
    return big < 0 ? axis.map((e) => -e) : axis;
  });
  const explainedVariance = order.slice(0, k).map((col) => Math.max(0, values[col]));
  const explainedVarianceRatio = explainedVariance.map((e) => (total > 0 ? e / total : 0));
  const project = (other: number[][]): number[][] =>
    checkRows(other, 'project(rows)', d).map((r) => components.map((axis) => axis.reduce((s, a, j) => s + a * (r[j] - mean[j]), 0)));
  return { mean, components, explainedVariance, explainedVarianceRatio, scores: project(x), project };
}
