/**
 * CPU profiles for `npm run bench -- --profile`: the V8 profiler (DevTools protocol
 * `Profiler` domain) attached to the benchmark worker in Chromium, and `node:inspector` in
 * the Node process, both around the timed repeats only. The profile is saved as a
 * `.cpuprofile` file (open it in Chrome DevTools, Performance > Load profile) and summarised
 * here as self time per function.
 */

/** The subset of a DevTools `Profiler.Profile` the summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Self time per function, largest first: `{ name, ms, share }` (share of all samples, 0-1). */
export function selfTimes(profile: CpuProfile): { name: string; ms: number; share: number }[] {
  const byNode = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    byNode.set(profile.samples[i], (byNode.get(profile.samples[i]) ?? 0) + dt);
  }
  const byName = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = byNode.get(node.id) ?? 0;
    if (!us) continue;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url ? url.split('/').pop()!.split('?')[0] : '';
    const name = url.startsWith('wasm://')
      ? `${functionName || '(anonymous)'} [wasm]`
      : file
        ? `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`
        : functionName || '(anonymous)';
    byName.set(name, (byName.get(name) ?? 0) + us);
  }
  return [...byName.entries()]
    .map(([name, us]) => ({ name, ms: us / 1000, share: total ? us / total : 0 }))
    .sort((a, b) => b.ms - a.ms);
}

/** A printable summary: the top `top` functions by self time, and the WebAssembly total. */
export function summarize(label: string, profile: CpuProfile, top = 15): string {
  const rows = selfTimes(profile);
  const wasm = rows.filter((r) => r.name.endsWith('[wasm]')).reduce((a, r) => a + r.share, 0);
  const gc = rows.filter((r) => r.name === '(garbage collector)').reduce((a, r) => a + r.share, 0);
  const lines = [`# profile ${label}: ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms sampled; WebAssembly ${(wasm * 100).toFixed(1)}%, GC ${(gc * 100).toFixed(1)}% of samples; top self time:`];
  for (const r of rows.slice(0, top)) lines.push(`#   ${(r.share * 100).toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(6)} ms  ${r.name}`);
  return lines.join('\n');
}
