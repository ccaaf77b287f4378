/**
 * One benchmark configuration in a fresh Node process (so that stock tfjs runs without the
 * kernels src/rnn registers): `tsx bench/node.ts '<WorkloadConfig JSON>'` prints a result line
 * `RESULT <json>`.
 */
import { Session } from 'node:inspector';
import * as tf from '@tensorflow/tfjs';
import { runWorkload, type RnnLike, type WorkloadConfig } from './workload';

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2]) as WorkloadConfig;
  await tf.setBackend('cpu');
  const rnn = cfg.mode === 'fused' ? ((await import('../src/rnn/index')) as unknown as RnnLike) : null;
  // --profile: the V8 profiler around the timed repeats, printed as `PROFILE <json>`.
  const session = process.argv.includes('--profile') ? new Session() : null;
  session?.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session!.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  let stopped: Promise<unknown> | null = null;
  const clock = {
    mark: (label: 'start' | 'end', repeat: number) => {
      if (!session) return;
      if (label === 'start' && repeat === 0) {
        void post('Profiler.enable').then(() => post('Profiler.setSamplingInterval', { interval: 200 })).then(() => post('Profiler.start'));
      } else if (label === 'end' && repeat === cfg.repeats - 1) {
        stopped = post('Profiler.stop');
      }
    },
    now: () => performance.now(),
    cpu: () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    },
  };
  const result = await runWorkload(tf, rnn, cfg, clock);
  if (stopped) console.log(`PROFILE ${JSON.stringify(((await stopped) as { profile: unknown }).profile)}`);
  console.log(`RESULT ${JSON.stringify(result)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
