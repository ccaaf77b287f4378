const n = fact(5);
function fact(k) {
  return k <= 1 ? 1 : k * fact(k - 1);
}
class Counter extends Base {
  inc() { return n + 1; }
}
(new Counter()).inc()
