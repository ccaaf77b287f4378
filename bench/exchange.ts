/**
 * `npx tsx bench/exchange.ts`: what data-parallel training on two workers would pay per step
 * just to exchange gradients (issue 9, goal 6). Two module workers in headless Chromium, linked
 * by a MessageChannel, each send the other its gradient and add the one received, as an
 * all-reduce of two would; nothing else runs. Variants: the course model's whole gradient
 * (320,791 floats: embedding 10000 x 32, LSTM 760, Dense 6, copied by structured clone or
 * transferred), and only the embedding rows a batch touches (32 x 100 ids: at most 3,200 rows
 * of 32 floats, sent with their ids). Also reports `crossOriginIsolated` of a page served
 * without COOP/COEP headers (plain static hosting): SharedArrayBuffer and WebAssembly threads
 * need it true.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from '../tests/e2e/browser';
import { serve } from './browser/serve';
import { treeCpuMs } from './profile';

const STEPS = Number(process.argv.find((a) => a.startsWith('--steps='))?.slice(8) ?? 300);

const WORKER = `
let port, peerDone;
const FULL = 320791, E = 32, V = 10000;
function ids32x100(step) { const ids = new Int32Array(3200); let s = step * 7919 + 1; for (let i = 0; i < ids.length; i++) { s = (Math.imul(s, 1103515245) + 12345) >>> 0; ids[i] = (s >>> 8) % V; } return ids; }
self.onmessage = async (e) => {
  if (e.data.port) { port = e.data.port; return; }
  const { variant, steps } = e.data;
  const mine = new Float32Array(FULL).fill(0.001);
  const acc = new Float32Array(FULL);
  let got = null;
  port.onmessage = (m) => { got = m.data; peerDone?.(); };
  const receive = () => got ? Promise.resolve() : new Promise((r) => (peerDone = r));
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) {
    if (variant === 'copy') port.postMessage(mine);
    else if (variant === 'transfer') { const g = mine.slice(); port.postMessage(g, [g.buffer]); }
    else {
      // touched rows only: unique ids of the batch, their rows, plus the 766 dense floats
      const ids = ids32x100(s); const uniq = [...new Set(ids)]; const rows = new Float32Array(uniq.length * E + 766);
      for (let i = 0; i < uniq.length; i++) rows.set(mine.subarray(uniq[i] * E, uniq[i] * E + E), i * E);
      const u = Int32Array.from(uniq); port.postMessage({ u, rows }, [u.buffer, rows.buffer]);
    }
    await receive();
    const m = got; got = null;
    if (variant === 'rows') { const { u, rows } = m; for (let i = 0; i < u.length; i++) for (let k = 0; k < E; k++) acc[u[i] * E + k] += rows[i * E + k]; }
    else for (let i = 0; i < FULL; i++) acc[i] += m[i];
  }
  postMessage({ ms: (performance.now() - t0) / steps });
};`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-exchange-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>exchange</title>');
  writeFileSync(join(dir, 'w.js'), WORKER);
  const server = await serve(dir);
  const browser = await launch();
  console.log(`# gradient exchange between two workers, ${new Date().toISOString()} | ${cpus().length} x ${cpus()[0]?.model} | load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    console.log(`crossOriginIsolated (no COOP/COEP headers): ${await page.evaluate('self.crossOriginIsolated')}; SharedArrayBuffer defined: ${await page.evaluate("typeof SharedArrayBuffer !== 'undefined'")}`);
    for (const variant of ['copy', 'transfer', 'rows']) {
      const own = () => {
        const u = process.cpuUsage();
        return treeCpuMs(process.pid) - (u.user + u.system) / 1000;
      };
      const c0 = own();
      const ms = (await page.evaluate(
        `new Promise((resolve) => {
          const a = new Worker('w.js'), b = new Worker('w.js');
          const ch = new MessageChannel();
          a.postMessage({ port: ch.port1 }, [ch.port1]); b.postMessage({ port: ch.port2 }, [ch.port2]);
          const res = [];
          for (const w of [a, b]) w.onmessage = (e) => { res.push(e.data.ms); if (res.length === 2) { a.terminate(); b.terminate(); resolve(res); } };
          a.postMessage({ variant: ${JSON.stringify(variant)}, steps: ${STEPS} }); b.postMessage({ variant: ${JSON.stringify(variant)}, steps: ${STEPS} });
        })`,
      )) as number[];
      const cpu = (own() - c0) / STEPS;
      console.log(
        `exchange ${variant.padEnd(8)} ${Math.max(...ms).toFixed(2)} ms/step wall (send + receive + add, both workers at once), Chromium CPU ${cpu.toFixed(2)} ms/step, ${STEPS} steps`,
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
  console.log(`# load average after ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
