const {a, b: [c, d = 2], ...rest} = obj;
let [x, , y = 3] = arr, z
var w
[a, x].forEach((v) => console.log(v))
