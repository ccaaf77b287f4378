import * as tf from '@tensorflow/tfjs';
import * as rnn from '../../src/rnn/index';
await tf.setBackend('cpu');
const m = tf.sequential(); m.add(rnn.dense({units:1, activation:'sigmoid', inputShape:[5]}));
m.compile({ optimizer: rnn.adam(), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const S=200; const x = tf.randomNormal([S*32,5]); const y = tf.randomUniform([S*32,1],0,2,'int32').toFloat();
await m.fit(x.slice(0,64), y.slice(0,64), {batchSize:32, epochs:1, yieldEvery:'never'});
for (let r=0;r<4;r++){ const c0=process.cpuUsage(); const t0=performance.now(); await m.fit(x,y,{batchSize:32,epochs:1,yieldEvery:'never'}); const c=process.cpuUsage(c0); console.log('dense-only fit ms/step wall', ((performance.now()-t0)/S).toFixed(3), 'cpu', ((c.user+c.system)/1000/S).toFixed(3)); }
