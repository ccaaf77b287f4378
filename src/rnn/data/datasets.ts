/**
 * `datasets`: the synthetic tasks, generated in the page from a seed (no download).
 * - `toySentiment`: IMDB-shaped sentiment, the offline stand-in for the IMDB lessons;
 * - `longRangeMemory`: remember the first key for up to `gap` steps past look-alike keys
 *   (SimpleRNN fails at long gaps, LSTM/GRU succeed);
 * - `addingProblem`: sum the two marked values (the classic long-memory regression).
 */
import { addingProblem } from './adding-problem';
import { longRangeMemory } from './long-range-memory';
import { toySentiment, toyWordIndex } from './toy-sentiment';

/** The built-in generated data sets a cell sees as `datasets` (deterministic, no network). */
export const datasets = { toySentiment, longRangeMemory, addingProblem, toyWordIndex };
