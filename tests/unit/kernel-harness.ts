/**
 * Drives a real Kernel in Node for the kernel-*.test.ts files: real tfjs (cpu backend) and,
 * unless `rnn: false`, the real `src/rnn`. Messages are recorded; `exec` sends one execute
 * and resolves with that run's messages once the kernel is idle again.
 */
import * as tf from '@tensorflow/tfjs';
import * as rnn from '../../src/rnn/index';
import { Kernel, type KernelOptions } from '../../src/kernel/kernel';
import { PROTOCOL_VERSION, type ErrorMessage, type FromKernel, type ResultMessage } from '../../src/contract/protocol';

export interface Harness {
  kernel: Kernel;
  messages: FromKernel[];
  /** Called for every message as it is posted (after it is recorded). */
  onMessage: ((m: FromKernel) => void) | undefined;
  exec(code: string, cellId?: string): Promise<RunOutput>;
  /** Sends an execute without waiting; returns its runId. */
  send(code: string, cellId?: string): number;
  numTensors(): number;
  dispose(): void;
}

export interface RunOutput {
  runId: number;
  /** Every message carrying this runId, in order. */
  messages: FromKernel[];
  reply: ResultMessage | ErrorMessage;
  result?: ResultMessage;
  error?: ErrorMessage;
  /** stdout+stderr text of the run. */
  text: string;
}

export async function startKernel(
  options: { rnn?: boolean } & Partial<Pick<KernelOptions, 'yieldIntervalMs' | 'progressIntervalMs'>> = {},
): Promise<Harness> {
  const messages: FromKernel[] = [];
  let runId = 0;
  const h: Harness = {
    kernel: undefined as unknown as Kernel,
    messages,
    onMessage: undefined,
    send(code, cellId = 'cell') {
      const id = ++runId;
      h.kernel.handle({ type: 'execute', runId: id, cellId, code });
      return id;
    },
    async exec(code, cellId = 'cell') {
      const id = h.send(code, cellId);
      await h.kernel.whenIdle();
      return collect(messages, id);
    },
    numTensors: () => tf.memory().numTensors,
    dispose: () => h.kernel.dispose(),
  };
  h.kernel = new Kernel({
    post: (m) => {
      messages.push(m);
      h.onMessage?.(m);
    },
    load: async () => ({ tf, rnn: options.rnn === false ? undefined : rnn }),
    yieldIntervalMs: options.yieldIntervalMs,
    progressIntervalMs: options.progressIntervalMs,
  });
  h.kernel.handle({ type: 'init', base: '/', version: PROTOCOL_VERSION });
  // Load tfjs now, so its one-time notices are not part of the tests' runs.
  await h.exec('1');
  return h;
}

export function collect(messages: FromKernel[], runId: number): RunOutput {
  const own = messages.filter((m) => 'runId' in m && m.runId === runId);
  const reply = own.find((m) => m.type === 'result' || m.type === 'error') as ResultMessage | ErrorMessage;
  return {
    runId,
    messages: own,
    reply,
    result: reply?.type === 'result' ? reply : undefined,
    error: reply?.type === 'error' ? reply : undefined,
    text: own.map((m) => (m.type === 'stream' ? m.text : '')).join(''),
  };
}
