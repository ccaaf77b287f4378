/**
 * The data layer of RNN Notebook (`rnn.imdb`, `rnn.datasets`, `rnn.padSequences`,
 * `rnn.Tokenizer`, `rnn.parseTextDataset`, `rnn.configureData`). It imports only
 * `@tensorflow/tfjs` and runs in a Web Worker (fetch, Cache API, no DOM) and in Node.
 */
export { imdb } from './imdb';
export { datasets } from './datasets';
export { padSequences } from './pad-sequences';
export { Tokenizer } from './tokenizer';
export { parseTextDataset } from './text-dataset';
export { configureData } from './config';
export { abortDownloads } from './fetch-cached';
