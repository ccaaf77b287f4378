for (var i = 0; i < 3; i++) {
  var last = i;
}
for (var key in {a: 1}) {}
for (const v of [1, 2]) { var seen = v; }
if (last) var flag = true;
[i, key, seen, flag]
