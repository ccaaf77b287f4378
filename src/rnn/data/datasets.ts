/**
 * `datasets`: the synthetic tasks, generated in the page from a seed (no download).
 * - `toySentiment`: IMDB-shaped sentiment, the offline stand-in for the IMDB lessons;
 * - `longRangeMemory`: remember a key across `gap` distractors (SimpleRNN vs LSTM/GRU);
 * - `addingProblem`: sum the two marked values (the classic long-memory regression).
 */
import { addingProblem } from './adding-problem';
import { longRangeMemory } from './long-range-memory';
import { toySentiment, toyWordIndex } from './toy-sentiment';

export const datasets = { toySentiment, longRangeMemory, addingProblem, toyWordIndex };
