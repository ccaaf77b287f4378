let lr = 0.01;
function step(grad) {
  const lr = 0.5;
  return lr * grad + later + typeof maybe;
}
total = 0;
total += step(1);
count++;
try { risky(); } catch (err) { console.warn(err.message); }
