/**
 * The offline stand-in must be learnable the way the IMDB lessons use it: the lesson cell code
 * (`imdb.loadData({ numWords: 10000, limit: 2000, fallback: 'toy' })`, `padSequences` to 100,
 * Embedding(10000, 32) -> LSTM(5) -> Dense(1, sigmoid), Adam, 2 epochs) with no IMDB files.
 *
 * The initializers are seeded and shuffling is off, so the run is deterministic. Unseeded, the
 * accuracy is a draw: 0.80-0.97 over 30 runs (typically 0.93), and once 0.73 in a CI run.
 * With the seeds 100s+1 to 100s+4 for s = 1..8 it was 0.868-0.956; this test uses s = 1 (0.889).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as rnn from '../../src/rnn/index';

describe('toy sentiment with the lesson model', () => {
  it('Embedding -> LSTM(5) -> Dense learns it clearly above chance in 2 epochs', async () => {
    const warnings: string[] = [];
    rnn.configureData({
      baseUrl: 'http://127.0.0.1:9/',
      fetch: (async () => {
        throw new TypeError('Failed to fetch');
      }) as unknown as typeof fetch,
      warn: (m) => warnings.push(m),
    });
    const [[xTrain, yTrain], [xTest, yTest]] = await rnn.imdb.loadData({ numWords: 10000, limit: 2000, fallback: 'toy' });
    expect(warnings.join()).toMatch(/made-up stand-in with the same shape/);
    const x = rnn.padSequences(xTrain, { maxlen: 100 });
    const xt = rnn.padSequences(xTest.slice(0, 1000), { maxlen: 100 });
    const y = tf.tensor1d(yTrain);
    const yt = tf.tensor1d(yTest.slice(0, 1000));
    const model = tf.sequential();
    model.add(
      rnn.embedding({
        inputDim: 10000,
        outputDim: 32,
        inputLength: 100,
        embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: 101 }),
      }),
    );
    model.add(
      rnn.lstm({
        units: 5,
        kernelInitializer: tf.initializers.glorotUniform({ seed: 102 }),
        recurrentInitializer: tf.initializers.orthogonal({ seed: 103 }),
      }),
    );
    model.add(rnn.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 104 }) }));
    model.compile({ optimizer: rnn.adam(), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    await model.fit(x, y, { epochs: 2, batchSize: 32, shuffle: false, verbose: 0 });
    const [, acc] = model.evaluate(xt, yt) as tf.Scalar[];
    const accuracy = (await acc.data())[0];
    expect(accuracy).toBeGreaterThan(0.75);
    tf.dispose([x, xt, y, yt]);
  });
});
