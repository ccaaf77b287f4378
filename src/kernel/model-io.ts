/**
 * `model.save('downloads://name')` from a cell. tfjs's own `downloads://` handler clicks an
 * `<a download>` it creates with `document`, which a Web Worker does not have ("Browser downloads
 * are not supported in this environment since `document` is not present"). So, in the kernel,
 * `LayersModel.prototype.save` hands a `downloads://` URL to a handler of ours instead: it packs
 * the same two files tfjs would download (`name.json`, the model topology and weights manifest in
 * tfjs's layers-model format, and `name.weights.bin`) and shows them as a DownloadBundle; the page
 * renders a "Save" link for each (src/ui/output/download.ts). `tf.loadLayersModel(
 * tf.io.browserFiles([json, bin]))` in a page, or `files.pick()` + `tf.io.fromMemory` in a cell,
 * loads them back. Every other URL scheme (`indexeddb://`, `localstorage://`, `http(s)://`, an
 * IOHandler object) goes to tfjs unchanged: IndexedDB works in workers.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { DownloadBundle } from '../contract/protocol';

type Tf = typeof tfTypes;

const SAVE_PATCHED = Symbol.for('rnn-notebook.save-patched');
const SCHEME = 'downloads://';

/** Builds the two files of tfjs's `downloads://` format from saved model artifacts. */
export function downloadFiles(tf: Tf, prefix: string, artifacts: tfTypes.io.ModelArtifacts): DownloadBundle['files'] {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error("model.save('downloads://…'): binary model topologies are not supported (only layers models).");
  }
  const name = prefix.length > 0 ? prefix : 'model';
  const weightsName = `${name}.weights.bin`;
  const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
  const modelJson: tfTypes.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as tfTypes.io.ModelJSON['modelTopology'],
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [`./${weightsName}`], weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.trainingConfig != null) modelJson.trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata != null) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
  const json = new TextEncoder().encode(JSON.stringify(modelJson));
  return [
    { name: `${name}.json`, type: 'application/json', bytes: json.buffer.slice(json.byteOffset, json.byteOffset + json.byteLength) as ArrayBuffer },
    { name: weightsName, type: 'application/octet-stream', bytes: weights },
  ];
}

/**
 * Routes `model.save('downloads://name')` through the page: `show` posts the DownloadBundle on the
 * current run (returns false when no run is current, then the save fails with a clear error).
 * Idempotent.
 */
export function patchModelSave(tf: Tf, show: (bundle: DownloadBundle) => boolean): void {
  const proto = tf.LayersModel.prototype as unknown as Record<PropertyKey, unknown> & {
    save: (handlerOrURL: unknown, config?: unknown) => Promise<tfTypes.io.SaveResult>;
  };
  if (Object.prototype.hasOwnProperty.call(proto, SAVE_PATCHED)) return;
  proto[SAVE_PATCHED] = true;
  const original = proto.save;
  proto.save = function (this: tfTypes.LayersModel, handlerOrURL: unknown, config?: unknown) {
    if (typeof handlerOrURL === 'string' && handlerOrURL.startsWith(SCHEME)) {
      const prefix = handlerOrURL.slice(SCHEME.length);
      const handler = tf.io.withSaveHandler(async (artifacts) => {
        const files = downloadFiles(tf, prefix, artifacts);
        if (!show({ kind: 'download', files })) {
          throw new Error("model.save('downloads://…') needs a running cell to show its Save links.");
        }
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      });
      return original.call(this, handler, config);
    }
    return original.call(this, handlerOrURL, config);
  };
}
