/**
 * CPU profiles for `npm run bench -- --profile`: the V8 profiler (DevTools protocol
 * `Profiler` domain) attached to the benchmark worker in Chromium, and `node:inspector` in
 * the Node process, both around the timed repeats only. The profile is saved as a
 * `.cpuprofile` file (open it in Chrome DevTools, Performance > Load profile) and summarised
 * here as self time per function.
 */

import { readdirSync, readFileSync } from 'node:fs';
import type { CDPSession } from 'playwright-core';

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


/** CPU ms (user + system) of a process and all its descendants, from /proc (Linux). */
export function treeCpuMs(rootPid: number): number {
  const stats: { pid: number; ppid: number; ticks: number }[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const text = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.push({ pid: Number(d), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // process ended
    }
  }
  const inTree = new Set([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of stats) if (!inTree.has(s.pid) && inTree.has(s.ppid)) (inTree.add(s.pid), (grew = true));
  }
  return stats.filter((s) => inTree.has(s.pid)).reduce((a, s) => a + s.ticks, 0) * 10; // USER_HZ = 100
}

/**
 * The V8 profiler of a worker, through the browser's DevTools session (the worker is a
 * separate target: attach to it and exchange messages with it through the Target domain).
 */
export async function workerProfiler(cdp: CDPSession, urlPart: string): Promise<{ start(): Promise<void>; stop(): Promise<CpuProfile> }> {
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
  const target = targetInfos.filter((t) => t.type === 'worker' && t.url.includes(urlPart)).pop();
  if (!target) throw new Error(`--profile: no worker target for ${urlPart}`);
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })) as { sessionId: string };
  let id = 0;
  const waiting = new Map<number, (r: { result?: unknown; error?: unknown }) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e: { sessionId: string; message: string }) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message) as { id?: number; result?: unknown; error?: unknown };
    if (m.id !== undefined) waiting.get(m.id)?.(m);
  });
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const i = ++id;
      waiting.set(i, (m) => (m.error ? reject(new Error(JSON.stringify(m.error))) : resolve(m.result)));
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: i, method, params }) });
    });
  return {
    async start() {
      await send('Profiler.enable');
      await send('Profiler.setSamplingInterval', { interval: 200 });
      await send('Profiler.start');
    },
    async stop() {
      const r = (await send('Profiler.stop')) as { profile: CpuProfile };
      await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
      return r.profile;
    },
  };
}


/**
 * Inclusive time per function name: for each name, the ms of samples whose stack contains a
 * frame of that name (counted once per sample however deep it recurs). `(idle)` is reported
 * too, so busy time = sampled time - idle.
 */
export function inclusiveTimes(profile: CpuProfile, names: string[]): Map<string, number> {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const nameOf = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName] as const));
  const wanted = new Set([...names, '(idle)']);
  const out = new Map<string, number>([...wanted].map((n) => [n, 0]));
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const hit = new Set<string>();
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const name = nameOf.get(id) ?? '';
      if (wanted.has(name)) hit.add(name);
    }
    for (const h of hit) out.set(h, out.get(h)! + dt);
  }
  return out;
}

/** The V8 profiler of a page's main thread (a page-level DevTools session). */
export async function pageProfiler(cdp: CDPSession): Promise<{ start(): Promise<void>; stop(): Promise<CpuProfile> }> {
  return {
    async start() {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    },
    async stop() {
      const r = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      return r.profile;
    },
  };
}

/**
 * CPU ms per thread of a process tree (Linux /proc), keyed `<process type> <thread name>`
 * (process type from Chromium's `--type=` switch, `browser` without one; threads of the
 * same name summed). Two snapshots' difference says which thread spent the CPU time.
 */
export function threadCpuMs(rootPid: number): Map<string, number> {
  const out = new Map<string, number>();
  const parents = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const text = readFileSync(`/proc/${d}/stat`, 'utf8');
      parents.set(Number(d), Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // process ended
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid, n = 0; p !== undefined && n < 64; p = parents.get(p), n++) if (p === rootPid) return true;
    return false;
  };
  for (const pid of parents.keys()) {
    if (pid === rootPid || !inTree(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const type = /--type=([\w-]+)/.exec(cmd)?.[1] ?? (cmd.includes('chrom') ? 'browser' : cmd.split('\0')[0].split('/').pop()!);
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
        const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
        const key = `${type} ${name}`;
        out.set(key, (out.get(key) ?? 0) + (Number(f[11]) + Number(f[12])) * 10);
      }
    } catch {
      // process ended
    }
  }
  return out;
}

/** `after - before` of two threadCpuMs snapshots, largest first, as `name ms` text. */
export function threadCpuDelta(before: Map<string, number>, after: Map<string, number>, top = 8): string {
  return [...after.entries()]
    .map(([k, v]) => [k, v - (before.get(k) ?? 0)] as const)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
    .join(', ');
}

/** A trace event as the DevTools Tracing domain reports it (the fields read here). */
interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  args?: { name?: string };
}

/**
 * A `devtools.timeline` trace of a page (all its threads), summarised as total duration per
 * event name on the renderer's main thread, where style, layout and paint run: what the
 * CPU profile calls `(program)`.
 */
export async function pageTracer(cdp: CDPSession): Promise<{ start(): Promise<void>; stop(): Promise<string> }> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  return {
    async start() {
      await cdp.send('Tracing.start', { categories: 'devtools.timeline', transferMode: 'ReportEvents' });
    },
    async stop() {
      const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
      await cdp.send('Tracing.end');
      await done;
      const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
      if (!main) return 'no CrRendererMain thread in the trace';
      const by = new Map<string, { ms: number; n: number }>();
      for (const e of events) {
        if (e.pid !== main.pid || e.tid !== main.tid || e.ph !== 'X' || !e.dur) continue;
        const r = by.get(e.name) ?? { ms: 0, n: 0 };
        r.ms += e.dur / 1000;
        r.n++;
        by.set(e.name, r);
      }
      return [...by.entries()]
        .sort((a, b) => b[1].ms - a[1].ms)
        .slice(0, 14)
        .map(([k, r]) => `${k} ${r.ms.toFixed(0)} ms/${r.n}`)
        .join(', ');
    },
  };
}
