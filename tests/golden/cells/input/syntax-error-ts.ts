const a: number = 1;
const b: string = "x"; const c = a +* b;
