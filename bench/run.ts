/**
 * `npm run bench`: trains the course's LSTM and GRU models (Embedding(10000, 32) -> LSTM(5) |
 * GRU(5) -> Dense(1, sigmoid), Adam, binary cross-entropy, batch 32, IMDB-shaped random data)
 * with the fused layers and with stock tf.layers, in headless Chromium (the real target, in a
 * Web Worker like the notebook kernel) and in Node, and prints one line per configuration:
 * seconds per 782-step epoch, fused and stock, and their ratio.
 *
 * Options: --only=node|chromium  --cells=lstm,gru  --steps=N (timed fused steps per repeat,
 * default 200)  --repeats=N (default 3)  --stock-steps=N (timed stock steps, default 2;
 * stock takes seconds per step, so it is extrapolated)  --no-stock
 * --fused-backend=cpu|webgl (Chromium only; default cpu, the library's preferred backend)
 * --kernels=auto|wasm|js (fused kernel implementation; default auto = WebAssembly SIMD)
 * --no-fused-step (fit through tfjs's train function over the fused layers instead of the
 * whole-model fused step of src/rnn/train, to compare the two)
 * --spellings (also time the fused LSTM written with each tfjs spelling: tf.layers.embedding,
 * tf.layers.dense, optimizer 'adam', tf.train.adam, and all of them; --spelling-steps=N, default 50)
 * --no-page (skip the real-page run: the LSTM lesson in headless Chromium at the course
 * setting, see bench/page.ts; its build is remade when a source is newer; --page-dist=DIR
 * reuses a build as it is, --page-rebuild forces one,
 * --page-epochs=N, --page-reviews=N, --page-reduced-motion emulates prefers-reduced-motion)  --only=page runs only that
 * --profile (CPU profile of the fused timed repeats: the DevTools Profiler attached to the
 * Chromium worker, node:inspector in Node; prints the top functions by self time and saves
 * .cpuprofile files in a temporary folder, named in the output. For the page: the kernel
 * worker and the page's main thread during the training cell, on an unminified build in
 * dist-bench-page-readable, with inclusive times of the fit loop's parts)
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';
import { summarize, treeCpuMs, workerProfiler, type CpuProfile } from './profile';
import { runPageBench } from './page';
import { buildBrowserBench } from './browser/build';
import { serve } from './browser/serve';
import { SPELLINGS, type Cell, type Spelling, type WorkloadConfig, type WorkloadResult } from './workload';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

function arg(name: string, fallback: string): string {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
}
const only = arg('only', '');
const cells = arg('cells', 'lstm,gru').split(',') as Cell[];
const steps = Number(arg('steps', '200'));
const repeats = Number(arg('repeats', '3'));
const stockSteps = Number(arg('stock-steps', '2'));
const withStock = !process.argv.includes('--no-stock');
const fusedBackend = arg('fused-backend', 'cpu');
const kernels = arg('kernels', 'auto') as 'auto' | 'wasm' | 'js';
const profile = process.argv.includes('--profile');
const fusedStep = !process.argv.includes('--no-fused-step');
const withSpellings = process.argv.includes('--spellings');
const spellingSteps = Number(arg('spelling-steps', '50'));
const spellingCfg = (spelling: Spelling): WorkloadConfig => ({ cell: 'lstm', mode: 'fused', steps: spellingSteps, repeats: 2, warmupSteps: 3, kernels, spelling, fusedStep });
const spellingLine = (env: string, r: WorkloadResult, spelling: Spelling) => {
  const best = Math.min(...r.secondsPerEpoch);
  const cpu = r.cpuSecondsPerEpoch ? `, CPU ${fmt(Math.min(...r.cpuSecondsPerEpoch))}` : '';
  const step = r.fusedStep === undefined ? '' : r.fusedStep === 'fused' ? '; fused step' : '; tfjs train function';
  return `${env.padEnd(8)} LSTM spelled ${spelling.padEnd(19)} ${fmt(best)} s/epoch (best of ${r.secondsPerEpoch.length} x ${r.steps} steps${cpu}; params ${r.params}${step})`;
};
let profileDir = '';
function saveProfile(name: string, prof: CpuProfile): void {
  profileDir ||= mkdtempSync(join(tmpdir(), 'rnn-bench-profiles-'));
  const file = join(profileDir, `${name}.cpuprofile`);
  writeFileSync(file, JSON.stringify(prof));
  console.log(summarize(`${name} (${file})`, prof));
}

function runNode(cfg: WorkloadConfig): Promise<WorkloadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'node.ts'), JSON.stringify(cfg), ...(profile && cfg.mode !== 'stock' ? ['--profile'] : [])], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      const prof = out.split('\n').find((l) => l.startsWith('PROFILE '));
      if (prof) saveProfile(`node-${cfg.cell}-${cfg.mode}`, JSON.parse(prof.slice(8)) as CpuProfile);
      if (code === 0 && line) resolve(JSON.parse(line.slice(7)) as WorkloadResult);
      else reject(new Error(`bench/node.ts failed (${code}): ${err.slice(-2000)}`));
    });
  });
}

const fmt = (s: number) => (s >= 100 ? s.toFixed(0) : s.toFixed(2));

function describeFused(r: WorkloadResult): string {
  const best = Math.min(...r.secondsPerEpoch);
  const worst = Math.max(...r.secondsPerEpoch);
  const cpu = r.cpuSecondsPerEpoch ? `, CPU ${fmt(Math.min(...r.cpuSecondsPerEpoch))} s/epoch` : '';
  const step = r.fusedStep === undefined ? '' : r.fusedStep === 'fused' ? ', fused step' : ', tfjs train function';
  return `fused ${fmt(best)} s/epoch (best of ${r.secondsPerEpoch.length} x ${r.steps} steps, range ${fmt(best)}-${fmt(worst)}${cpu}; ${r.backend}, ${r.kernels}${step})`;
}

function line(env: string, cell: Cell, fused: WorkloadResult, stock: WorkloadResult | null): string {
  const best = Math.min(...fused.secondsPerEpoch);
  let text = `${env.padEnd(8)} ${cell.toUpperCase().padEnd(4)} params ${fused.params}: ${describeFused(fused)}`;
  if (stock) {
    const s = Math.min(...stock.secondsPerEpoch);
    text += ` | stock tf.layers ${fmt(s)} s/epoch (${stock.backend}, ${stock.steps} steps extrapolated, params ${stock.params}) | ratio ${fmt(s / best)}x`;
  }
  return text;
}

async function main(): Promise<void> {
  const cpu = cpus();
  console.log(
    `# rnn bench ${new Date().toISOString()} | ${cpu.length} x ${cpu[0]?.model ?? 'cpu'} | ${(totalmem() / 2 ** 30).toFixed(1)} GiB | node ${process.version} | load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
  );
  const fusedCfg = (cell: Cell): WorkloadConfig => ({ cell, mode: 'fused', steps, repeats, warmupSteps: 5, backend: fusedBackend, kernels, fusedStep });
  // Stock costs seconds per step; one warm-up step matters in Chromium (WebGL shader
  // compilation) but not for Node's cpu backend, where a step takes minutes.
  const stockCfg = (cell: Cell, env: 'node' | 'chromium'): WorkloadConfig => ({
    cell,
    mode: 'stock',
    steps: stockSteps,
    repeats: 1,
    warmupSteps: env === 'chromium' ? 1 : 0,
  });
  const lines: string[] = [];

  if (only !== 'node' && only !== 'page') {
    const dir = await buildBrowserBench(profile);
    const server = await serve(dir);
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
    console.log(`# chromium ${browser.version()} flags ${CHROMIUM_FLAGS.join(' ')}`);
    try {
      const page = await browser.newPage();
      await page.goto(server.url);
      // The worker marks each timed repeat; the harness reads Chromium's CPU time then.
      // Chromium runs as a child of this process: its CPU time is our process tree's minus ours.
      const chromiumCpuMs = () => {
        const own = process.cpuUsage();
        return treeCpuMs(process.pid) - (own.user + own.system) / 1000;
      };
      const marks: Record<string, number> = {};
      const cdp = profile ? await browser.newBrowserCDPSession() : null;
      let profiling: { file: string; name: string; repeats: number; p?: Promise<Awaited<ReturnType<typeof workerProfiler>>> } | null = null;
      const profiles: Promise<void>[] = [];
      await page.exposeFunction('benchMark', (label: string, repeat: number) => {
        if (process.platform === 'linux') marks[`${label}${repeat}`] = chromiumCpuMs();
        if (cdp && profiling) {
          const pr = profiling;
          if (label === 'start' && repeat === 0) {
            pr.p = workerProfiler(cdp, pr.file).then(async (w) => (await w.start(), w));
          } else if (label === 'end' && repeat === pr.repeats - 1 && pr.p) {
            profiles.push(pr.p.then((w) => w.stop()).then((prof) => saveProfile(pr.name, prof)));
          }
        }
      });
      const inWorker = (file: string, cfg: WorkloadConfig) =>
        page.evaluate(
          ({ url, cfg, keep }) =>
            new Promise<{ ok: boolean; result?: WorkloadResult; error?: string }>((resolve) => {
              const w = new Worker(url, { type: 'module' });
              (window as unknown as { benchWorker?: Worker }).benchWorker = w;
              w.onmessage = (e) => {
                if (e.data && e.data.mark) {
                  (window as unknown as { benchMark(l: string, r: number): void }).benchMark(e.data.mark, e.data.repeat);
                  return;
                }
                resolve(e.data);
                if (!keep) w.terminate(); // kept alive while its profile is read
              };
              w.onerror = (e) => resolve({ ok: false, error: e.message });
              w.postMessage(cfg);
            }),
          { url: server.url + file, cfg, keep: profile },
        );
      const withCpu = async (file: string, cfg: WorkloadConfig) => {
        for (const k of Object.keys(marks)) delete marks[k];
        profiling = cdp ? { file, name: `chromium-${cfg.cell}-${cfg.mode}`, repeats: cfg.repeats } : null;
        const res = await inWorker(file, cfg);
        await Promise.all(profiles.splice(0));
        if (profile) await page.evaluate(() => (window as unknown as { benchWorker?: Worker }).benchWorker?.terminate());
        if (res.ok && res.result && marks.start0 !== undefined) {
          const cpu: number[] = [];
          for (let r = 0; r < cfg.repeats; r++) {
            if (marks[`start${r}`] !== undefined && marks[`end${r}`] !== undefined) {
              cpu.push(((marks[`end${r}`] - marks[`start${r}`]) / 1000 / cfg.steps) * 782);
            }
          }
          if (cpu.length) res.result.cpuSecondsPerEpoch = cpu;
        }
        return res;
      };
      for (const cell of cells) {
        const f = await withCpu('fused.js', fusedCfg(cell));
        if (!f.ok) throw new Error(`chromium fused ${cell}: ${f.error}`);
        let s: typeof f | null = null;
        if (withStock) {
          s = await inWorker('stock.js', stockCfg(cell, 'chromium'));
          if (!s.ok) throw new Error(`chromium stock ${cell}: ${s.error}`);
        }
        const l = line('chromium', cell, f.result!, s?.result ?? null);
        console.log(l);
        lines.push(l);
      }
      if (withSpellings) {
        for (const sp of SPELLINGS) {
          const r = await withCpu('fused.js', spellingCfg(sp));
          if (!r.ok) throw new Error(`chromium spelling ${sp}: ${r.error}`);
          console.log(spellingLine('chromium', r.result!, sp));
        }
      }
    } finally {
      await browser.close();
      await server.close();
    }
  }

  if (only !== 'chromium' && only !== 'page') {
    for (const cell of cells) {
      const f = await runNode(fusedCfg(cell));
      const s = withStock ? await runNode(stockCfg(cell, 'node')) : null;
      const l = line('node', cell, f, s);
      console.log(l);
      lines.push(l);
    }
    if (withSpellings) {
      for (const sp of SPELLINGS) console.log(spellingLine('node', await runNode(spellingCfg(sp)), sp));
    }
  }
  if ((only === '' || only === 'page') && !process.argv.includes('--no-page')) {
    const r = await runPageBench(root, {
      dist: arg('page-dist', '') || undefined,
      rebuild: process.argv.includes('--page-rebuild'),
      epochs: Number(arg('page-epochs', '1')),
      reviews: Number(arg('page-reviews', '25000')),
      profile,
      reducedMotion: process.argv.includes('--page-reduced-motion'),
    });
    for (const l of r.profile ?? []) console.log(l);
    console.log(`# page cells before training (wall s): ${Object.entries(r.setupSeconds).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
    if (r.threads) console.log(`# page Chromium CPU by thread, Run to done: ${r.threads}`);
    const cpuText = r.chromiumCpuSeconds !== undefined ? `, Chromium CPU ${r.chromiumCpuSeconds.toFixed(1)} s` : '';
    console.log(
      `page     LSTM lesson, REVIEWS = ${r.reviews}, EPOCHS = ${r.epochs}: training cell ${r.trainSeconds.toFixed(1)} s (Run to done; ${r.epochs} epoch(s) + validation${cpuText}) | last progress line: ${r.progress} | data: ${r.data} | load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    );
  }
  // Keras recurrent options (mask, dropout, recurrent dropout) against the plain fused step:
  // bench/recurrent-options.ts, in a child process like the Node workloads.
  if (only !== 'chromium' && only !== 'page') {
    for (const cell of cells) {
      for (const l of await runOptions(cell)) console.log(`node options | ${l}`);
    }
  }
  console.log(`# load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

/** Rows of bench/recurrent-options.ts for one cell (WebAssembly kernels unless --kernels=js). */
function runOptions(cell: Cell): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const impl = kernels === 'js' ? 'js' : 'wasm';
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'recurrent-options.ts'), cell, impl], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      if (code === 0) resolve(out.split('\n').filter((l) => l.includes(' | ')));
      else reject(new Error(`bench/recurrent-options.ts failed (${code}): ${err.slice(-2000)}`));
    });
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
