/**
 * Element-wise activations supported by the fused recurrent kernels.
 *
 * The fused kernels need both the function and its derivative, and they compute the
 * derivative from the activation's *output* (y = f(x)), which is what they keep for
 * backpropagation through time. Every activation listed here has that property.
 */
import { ValueError } from '../errors';

/** Activation names accepted by the recurrent layers (Keras spelling and tfjs spelling). */
export type RecurrentActivation = 'tanh' | 'sigmoid' | 'relu' | 'linear';

/** Numeric codes shared by the JS and WebAssembly kernels. */
export const ACT_LINEAR = 0;
/** Activation code of tanh. */
export const ACT_TANH = 1;
/** Activation code of the logistic sigmoid (Keras's `sigmoid`, not tfjs's hardSigmoid). */
export const ACT_SIGMOID = 2;
/** Activation code of relu. */
export const ACT_RELU = 3;

const CODES: Record<string, number> = {
  linear: ACT_LINEAR,
  tanh: ACT_TANH,
  sigmoid: ACT_SIGMOID,
  relu: ACT_RELU,
};

/**
 * Maps an activation argument to its kernel code, or throws an error that names the layer
 * argument (`activation` or `recurrentActivation`) and the supported values. As in Keras,
 * `undefined` (not given) means the layer's default (`fallback`) and `null` (Keras `None`)
 * means no activation ('linear').
 */
export function activationCode(name: unknown, argName: string, fallback: string): number {
  const key = name === undefined ? fallback : name === null ? 'linear' : name;
  const code = typeof key === 'string' ? CODES[key] : undefined;
  if (code === undefined) {
    throw new ValueError(
      `Unsupported ${argName} ${typeof key === 'string' ? `'${key}'` : String(key)}: the fused recurrent layers support ` +
        `${Object.keys(CODES).map((k) => `'${k}'`).join(', ')} (or null for linear).`,
    );
  }
  return code;
}

/** Name of an activation code (for getConfig). */
export function activationName(code: number): RecurrentActivation {
  return (['linear', 'tanh', 'sigmoid', 'relu'] as const)[code];
}

/** f(x) in float32-friendly form. */
export function applyAct(code: number, x: number): number {
  switch (code) {
    case ACT_TANH:
      return Math.tanh(x);
    case ACT_SIGMOID:
      return 1 / (1 + Math.exp(-x));
    case ACT_RELU:
      return x > 0 ? x : 0;
    default:
      return x;
  }
}

/** f'(x) expressed through y = f(x). */
export function actGradFromOutput(code: number, y: number): number {
  switch (code) {
    case ACT_TANH:
      return 1 - y * y;
    case ACT_SIGMOID:
      return y * (1 - y);
    case ACT_RELU:
      return y > 0 ? 1 : 0;
    default:
      return 1;
  }
}
