interface Point {
  x: number;
}
type Id = string;
const p: Point = { x: 1 };
function twice<T>(v: T): T[] { return [v, v]; }
const n = (p as any).x!;
twice<number>(n)
