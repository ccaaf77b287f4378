import * as tf from '@tensorflow/tfjs';
import { getKernels, setKernelImplementation } from '../../src/rnn/kernels/index';
import { adamJs } from '../../src/rnn/kernels/js';
setKernelImplementation((process.argv[2] ?? 'wasm') as any);
const K = getKernels();
const B=32,T=100,D=32,u=5;
for (const cell of ['lstm','gru'] as const) {
const G = (cell==='lstm'?4:3)*u;
const spec = {cell, batch:B, steps:T, inputDim:D, units:u, act:1, ract:2, resetAfter:true};
const x = Float32Array.from({length:B*T*D}, ()=>Math.random()-0.5);
const W = Float32Array.from({length:D*G}, ()=>Math.random()-0.5);
const U = Float32Array.from({length:u*G}, ()=>Math.random()-0.5);
const b = new Float32Array(cell==='gru'?2*G:G);
let f = K.forward(spec, x, W, U, b);
const dOut = new Float32Array(f.output.length).fill(0.01);
const R=50; let t0=performance.now();
for (let i=0;i<R;i++) f = K.forward(spec, x, W, U, b);
const tf_ = (performance.now()-t0)/R; t0=performance.now();
for (let i=0;i<R;i++) K.backward(spec, f.tape, dOut);
const tb = (performance.now()-t0)/R;
console.log(K.name, cell, 'fwd ms', tf_.toFixed(2), 'bwd ms', tb.toFixed(2));
}
const n=320000; const w=new Float32Array(n), g=Float32Array.from({length:n},()=>Math.random()), m=new Float32Array(n), v=new Float32Array(n);
let t0=performance.now(); for (let i=0;i<50;i++) adamJs(w,g,m,v,1e-3,0.9,0.999,1e-7); console.log('adam js ms', ((performance.now()-t0)/50).toFixed(2));
t0=performance.now(); for (let i=0;i<50;i++) { const c = Float32Array.from(w); } console.log('copy 320k ms', ((performance.now()-t0)/50).toFixed(2));
t0=performance.now(); for (let i=0;i<50;i++) { const c = new Float32Array(n); } console.log('alloc 320k ms', ((performance.now()-t0)/50).toFixed(2));
