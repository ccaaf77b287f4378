async function later() {
  return 1;
}
[await later()]
