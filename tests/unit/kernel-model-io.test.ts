/**
 * `model.save('downloads://name')` in the kernel (src/kernel/model-io.ts), in Node: the save goes
 * to the page as a DownloadBundle holding tfjs's two files, which load back into the same model
 * (our layers, Keras names); other URL schemes are left to tfjs; a save outside a run is refused.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as rnn from '../../src/rnn/index';
import { patchModelSave } from '../../src/kernel/model-io';
import type { DownloadBundle } from '../../src/contract/protocol';

let shown: DownloadBundle[] = [];
let running = true;

beforeAll(async () => {
  await tf.setBackend('cpu');
  patchModelSave(tf, (b) => {
    if (!running) return false;
    shown.push(b);
    return true;
  });
  patchModelSave(tf, () => {
    throw new Error('patched twice');
  });
});

function model(): tf.Sequential {
  const m = tf.sequential();
  m.add(rnn.embedding({ inputDim: 20, outputDim: 4, inputLength: 6 }));
  m.add(rnn.gru({ units: 3 }));
  m.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
  return m;
}

describe("model.save('downloads://…') in the kernel", () => {
  it('shows name.json + name.weights.bin, which load back with the same predictions', async () => {
    shown = [];
    const m = model();
    const result = await m.save('downloads://my-gru');
    expect(result.modelArtifactsInfo.modelTopologyType).toBe('JSON');
    expect(shown).toHaveLength(1);
    const [json, bin] = shown[0].files;
    expect(json.name).toBe('my-gru.json');
    expect(bin.name).toBe('my-gru.weights.bin');
    const modelJson = JSON.parse(new TextDecoder().decode(json.bytes)) as tf.io.ModelJSON;
    expect(modelJson.weightsManifest[0].paths).toEqual(['./my-gru.weights.bin']);
    const names = modelJson.weightsManifest[0].weights.map((w) => w.name.replace(/_\d+\//, '/'));
    expect(names).toEqual(['embedding/embeddings', 'gru/kernel', 'gru/recurrent_kernel', 'gru/bias', 'dense/kernel', 'dense/bias']);
    expect(bin.bytes.byteLength).toBe(4 * m.countParams());

    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData: bin.bytes }),
    );
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(['Embedding', 'GRU', 'Dense']);
    const x = tf.tensor2d([[1, 2, 3, 4, 5, 6]], [1, 6], 'int32');
    const a = (m.predict(x) as tf.Tensor).dataSync()[0];
    const b = (loaded.predict(x) as tf.Tensor).dataSync()[0];
    expect(Math.abs(a - b)).toBeLessThan(1e-6);
  });

  it('leaves other destinations to tfjs', async () => {
    shown = [];
    let got: tf.io.ModelArtifacts | undefined;
    await model().save(tf.io.withSaveHandler(async (artifacts) => {
      got = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    expect(got?.weightSpecs?.length).toBe(6);
    expect(shown).toHaveLength(0);
  });

  it('refuses a download with no running cell to show it', async () => {
    running = false;
    try {
      await expect(model().save('downloads://x')).rejects.toThrow(/needs a running cell/);
    } finally {
      running = true;
    }
  });
});
