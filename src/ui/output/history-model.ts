/**
 * The text of a training history, independent of the DOM: table columns and rows, and which
 * metrics share a chart panel.
 */
import type { HistoryBundle } from '../../contract/protocol';
import { formatMetric, orderMetricNames } from './format';

/** The history table's header and rows, as text. */
export interface HistoryModel {
  columns: string[];
  rows: string[][];
}

/**
 * The history table of a HistoryBundle: one row per epoch, metrics in Keras's order (loss first,
 * `val_` metrics last), values formatted as Keras prints them (`formatMetric`).
 */
export function historyModel(b: HistoryBundle): HistoryModel {
  const names = orderMetricNames(Object.keys(b.metrics), true);
  return {
    columns: ['epoch', ...names],
    rows: b.epochs.map((epoch, i) => [
      String(epoch),
      ...names.map((n) => {
        const v = b.metrics[n]?.[i];
        return v === undefined || v === null ? '' : formatMetric(v);
      }),
    ]),
  };
}

/** Splits metric names into the chart's panels: losses, then everything else. */
export function chartGroups(b: HistoryBundle): { title: string; names: string[] }[] {
  const names = orderMetricNames(Object.keys(b.metrics), true);
  const losses = names.filter((n) => /(^|_)loss$/.test(n));
  const others = names.filter((n) => !losses.includes(n));
  const groups = [];
  if (losses.length) groups.push({ title: 'Loss', names: losses });
  if (others.length) groups.push({ title: others.some((n) => /acc/.test(n)) ? 'Accuracy' : 'Metrics', names: others });
  return groups;
}
