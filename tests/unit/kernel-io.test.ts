/**
 * The kernel's input and data plumbing: `files.pick()` round-trips through
 * `input_request` / `input_reply`, and `rnn.configureData` is called once with the site base,
 * its progress reports becoming `load` displays and its notices stderr lines.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kernel } from '../../src/kernel/kernel';
import { PROTOCOL_VERSION, type FromKernel, type InputRequest } from '../../src/contract/protocol';
import { collect } from './kernel-harness';

interface DataConfig {
  baseUrl?: string;
  onProgress?(label: string, loaded: number, total: number, done: boolean): void;
  warn?(message: string): void;
}

const configs: DataConfig[] = [];
const messages: FromKernel[] = [];
let kernel: Kernel;
let runId = 0;

/** A stand-in rnn namespace whose data helpers use the configuration the kernel gave. */
const fakeRnn = {
  configureData: (c: DataConfig = {}) => {
    configs.push(c);
  },
  loadSomething: () => {
    const c = configs[configs.length - 1];
    c.onProgress?.('imdb/x_train.bin', 10, 100, false);
    c.onProgress?.('imdb/x_train.bin', 100, 100, true);
    c.warn?.('IMDB files missing: using the toy stand-in');
    return 'loaded';
  },
};

async function exec(code: string) {
  const id = ++runId;
  kernel.handle({ type: 'execute', runId: id, cellId: 'io', code });
  await kernel.whenIdle();
  return collect(messages, id);
}

beforeAll(() => {
  kernel = new Kernel({
    post: (m) => {
      messages.push(m);
      if (m.type === 'input_request') answer(m);
    },
    load: async () => ({ tf, rnn: fakeRnn }),
    progressIntervalMs: 0,
  });
  kernel.handle({ type: 'init', base: '/rnn-notebook/', version: PROTOCOL_VERSION });
});
afterAll(() => kernel.dispose());

let answer: (req: InputRequest) => void = () => {};

describe('files.pick', () => {
  it('asks the page and resolves with the file it sends back', async () => {
    answer = (req) => {
      const bytes = new TextEncoder().encode('text,label\ngreat,1\n').buffer;
      setTimeout(() => kernel.handle({ type: 'input_reply', requestId: req.requestId, file: { name: 'r.csv', type: 'text/csv', bytes } }), 0);
    };
    const out = await exec("const f = await files.pick({ accept: '.csv', prompt: 'Pick reviews' });\n[f.name, f.text().split('\\n')[1]]");
    const req = out.messages.find((m) => m.type === 'input_request');
    expect(req).toMatchObject({ type: 'input_request', prompt: 'Pick reviews', accept: '.csv', runId: out.runId });
    expect(out.result?.bundle).toEqual({ kind: 'text', text: "['r.csv', 'great,1']" });
  });

  it('fails with a clear error when the reader cancels', async () => {
    answer = (req) => setTimeout(() => kernel.handle({ type: 'input_reply', requestId: req.requestId }), 0);
    const out = await exec('await files.pick()');
    expect(out.error).toMatchObject({ ename: 'Error', evalue: 'No file was chosen', line: 1 });
  });

  it('is cancelled by Stop', async () => {
    answer = () => setTimeout(() => kernel.handle({ type: 'interrupt' }), 0);
    const out = await exec('await files.pick()');
    expect(out.reply).toMatchObject({ type: 'result', interrupted: true });
  });
});

describe('data configuration', () => {
  it('configures the data layer once with the site base', async () => {
    await exec('1');
    expect(configs).toHaveLength(1);
    expect(configs[0].baseUrl).toBe('/rnn-notebook/');
  });

  it('turns progress into load displays and notices into stderr', async () => {
    const out = await exec('rnn.loadSomething()');
    const loads = out.messages.filter((m) => m.type === 'display');
    expect(loads.map((m) => m.type === 'display' && [m.displayId, m.bundle])).toEqual([
      [`load-${out.runId}-imdb/x_train.bin`, { kind: 'load', label: 'imdb/x_train.bin', loaded: 10, total: 100, done: false }],
      [`load-${out.runId}-imdb/x_train.bin`, { kind: 'load', label: 'imdb/x_train.bin', loaded: 100, total: 100, done: true }],
    ]);
    const err = out.messages.find((m) => m.type === 'stream');
    expect(err).toMatchObject({ name: 'stderr', level: 'warn', text: 'IMDB files missing: using the toy stand-in\n' });
    expect(out.result?.bundle).toEqual({ kind: 'text', text: 'loaded' });
  });
});
