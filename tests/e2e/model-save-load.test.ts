/**
 * Save and load a trained model in the LSTM lesson, as a reader would: train (a small edit keeps
 * it short), save to IndexedDB and as downloads from the kernel worker, reload the page, load it
 * back without training, same scores. The downloaded files are tfjs's layers-model format with
 * Keras class and weight names.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { baseUrl, browser, useBrowser } from './use-browser';
import { openNotebook, outputText, runCell, setCellCode, waitForState } from './notebook-helpers';

const lesson = new URL('lessons/lstm/', baseUrl).href;
useBrowser();

async function indexOf(page: Page, id: string): Promise<number> {
  const ids = await page.$$eval('rnn-cell', (cells) => cells.map((c) => (c as HTMLElement).dataset.cellId));
  const i = ids.indexOf(id);
  if (i < 0) throw new Error(`cell ${id} not found in ${ids.join(', ')}`);
  return i;
}

async function run(page: Page, id: string): Promise<string> {
  const i = await indexOf(page, id);
  await runCell(page, i);
  const state = await waitForState(page, i, ['done', 'error'], 170_000);
  const out = await outputText(page, i);
  expect(state, `${id}: ${out}`).toBe('done');
  return out;
}

const scoresOf = (out: string) => {
  const m = /scores: \[([^\]]*)\]/.exec(out);
  if (!m) throw new Error(`no scores in: ${out}`);
  return m[1].split(',').map((s) => s.trim().replace(/['"]/g, ''));
};

describe('save and load a trained model', () => {
  it('saves to IndexedDB and as files from the worker; after a reload it loads with the same predictions', { timeout: 400_000 }, async () => {
    const { page, errors } = await openNotebook(browser, lesson);
    const dataCell = await indexOf(page, 'lstm-data');
    const source = await page.locator('rnn-cell').nth(dataCell).getAttribute('data-source');
    expect(source).toContain('REVIEWS = 25000, EPOCHS = 5');
    const small = source!.replace('REVIEWS = 25000, EPOCHS = 5', 'REVIEWS = 200, EPOCHS = 1');
    await setCellCode(page, dataCell, small);
    await run(page, 'lstm-data');
    await run(page, 'lstm-build');
    await run(page, 'lstm-train');
    const saveOut = await run(page, 'lstm-save');
    expect(saveOut).toMatch(/stored: \[[^\]]*indexeddb:\/\/imdb-lstm/);
    const saved = scoresOf(saveOut);
    expect(saved).toHaveLength(4);
    for (const s of saved) expect(s).toMatch(/^0\.\d{6}$|^1\.000000$/);

    // downloads:// from the worker: Save links in the output, one per file.
    const saveCell = page.locator('rnn-cell').nth(await indexOf(page, 'lstm-save'));
    const jsonLink = saveCell.getByRole('link', { name: 'Save imdb-lstm.json' });
    const binLink = saveCell.getByRole('link', { name: 'Save imdb-lstm.weights.bin' });
    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), jsonLink.click()]);
    expect(jsonDownload.suggestedFilename()).toBe('imdb-lstm.json');
    const modelJson = JSON.parse(readFileSync((await jsonDownload.path())!, 'utf8'));
    const layers = modelJson.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name);
    expect(layers).toEqual(['Embedding', 'LSTM', 'Dense']);
    const lstmConfig = modelJson.modelTopology.config.layers[1].config;
    expect(lstmConfig).toMatchObject({ units: 5, activation: 'tanh', recurrent_activation: 'sigmoid', unit_forget_bias: true, return_sequences: false });
    const weights = modelJson.weightsManifest[0].weights as { name: string; shape: number[] }[];
    expect(weights.map((w) => w.name.replace(/_\d+\//, '/'))).toEqual([
      'embedding/embeddings', 'lstm/kernel', 'lstm/recurrent_kernel', 'lstm/bias', 'dense/kernel', 'dense/bias',
    ]);
    expect(weights.map((w) => w.shape)).toEqual([[10000, 32], [32, 20], [5, 20], [20], [5, 1], [1]]);
    expect(modelJson.weightsManifest[0].paths).toEqual(['./imdb-lstm.weights.bin']);
    const [binDownload] = await Promise.all([page.waitForEvent('download'), binLink.click()]);
    expect(readFileSync((await binDownload.path())!).byteLength).toBe(4 * (10000 * 32 + 32 * 20 + 5 * 20 + 20 + 5 + 1));

    // A new page load: a fresh kernel, nothing trained in it.
    await page.reload();
    await page.waitForSelector('html[data-notebook="ready"]');
    await setCellCode(page, dataCell, small); // the same test reviews as before
    await run(page, 'lstm-data');
    const loadOut = await run(page, 'lstm-load');
    expect(loadOut).toMatch(/layers: \[\W*Embedding\W+LSTM\W+Dense\W*\]/);
    expect(scoresOf(loadOut)).toEqual(saved);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
