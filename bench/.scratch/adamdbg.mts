import { jsKernels } from '../../src/rnn/kernels/js';
import { tryCompileWasmKernelsSync } from '../../src/rnn/kernels/wasm';
const wasm = tryCompileWasmKernelsSync()!;
const n = 8; const w0 = Float32Array.from({length:n},(_, i)=>0.1*i-0.3);
const wj = w0.slice(), ww = w0.slice(); const sj = jsKernels.createAdamState(n), sw = wasm.createAdamState(n);
for (let t=1;t<=5;t++){ const g=Float32Array.from({length:n},(_, i)=>Math.sin(i*t)); const alpha=(1e-2*Math.sqrt(1-0.999**t))/(1-0.9**t); sj.step(wj,g,alpha,0.9,0.999,1e-7); sw.step(ww,g,alpha,0.9,0.999,1e-7);}
console.log(Array.from(wj), Array.from(ww)); console.log(sj.read(), sw.read());
