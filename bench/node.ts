/**
 * One benchmark configuration in a fresh Node process (so that stock tfjs runs without the
 * kernels src/rnn registers): `tsx bench/node.ts '<WorkloadConfig JSON>'` prints a result line
 * `RESULT <json>`.
 */
import * as tf from '@tensorflow/tfjs';
import { runWorkload, type RnnLike, type WorkloadConfig } from './workload';

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2]) as WorkloadConfig;
  await tf.setBackend('cpu');
  const rnn = cfg.mode === 'fused' ? ((await import('../src/rnn/index')) as unknown as RnnLike) : null;
  const clock = {
    now: () => performance.now(),
    cpu: () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    },
  };
  const result = await runWorkload(tf, rnn, cfg, clock);
  console.log(`RESULT ${JSON.stringify(result)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
