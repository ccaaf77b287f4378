function g(r) {
  return r;
}
[g(true), g(false)]
