/**
 * A short, readable plain-text form of a formula's TeX, for places that can only show text:
 * Pagefind's result excerpts (rehype-math-search-text.ts). Not a renderer: commands become their
 * Unicode symbol or word (`\odot` → ⊙, `\sigma` → σ, `\tanh` → tanh, `\mathbb{R}` → ℝ,
 * `\tilde{c}` → c̃, `\frac{a}{b}` → a/b), sizing and spacing commands vanish (`\left(` → `(`),
 * `\text{…}` keeps its words, and sub/superscripts keep `_`/`^`, braced when longer than one
 * symbol and without the source's spaces: `f_t, i_t, o_t \in (0, 1)^{1 \times u}` →
 * `f_t, i_t, o_t ∈ (0, 1)^{1×u}`. Spaces otherwise follow the author's (collapsed).
 *
 * Never throws: on anything it cannot follow (or absurd nesting) it returns the TeX itself.
 */

const SYMBOLS: Record<string, string> = {
  // Greek
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ϵ', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π',
  rho: 'ρ', sigma: 'σ', tau: 'τ', upsilon: 'υ', phi: 'ϕ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ',
  Omega: 'Ω',
  // operators and relations
  times: '×', cdot: '·', odot: '⊙', otimes: '⊗', oplus: '⊕', ast: '∗', star: '⋆', bullet: '•',
  circ: '∘', pm: '±', mp: '∓', div: '÷', in: '∈', notin: '∉', subset: '⊂', subseteq: '⊆', cup: '∪',
  cap: '∩', approx: '≈', sim: '∼', simeq: '≃', equiv: '≡', propto: '∝', neq: '≠', ne: '≠', le: '≤',
  leq: '≤', ge: '≥', geq: '≥', ll: '≪', gg: '≫', to: '→', rightarrow: '→', leftarrow: '←', gets: '←',
  mapsto: '↦', Rightarrow: '⇒', Leftarrow: '⇐', Longrightarrow: '⟹', Longleftarrow: '⟸',
  implies: '⟹', iff: '⟺', Leftrightarrow: '⇔', leftrightarrow: '↔', mid: '|', vert: '|', lvert: '|',
  rvert: '|', Vert: '‖', lVert: '‖', rVert: '‖', langle: '⟨', rangle: '⟩', lfloor: '⌊', rfloor: '⌋',
  lceil: '⌈', rceil: '⌉', lbrace: '{', rbrace: '}', top: '⊤', perp: '⊥', partial: '∂', nabla: '∇',
  infty: '∞', sum: '∑', prod: '∏', int: '∫', forall: '∀', exists: '∃', neg: '¬', land: '∧', lor: '∨',
  dots: '…', ldots: '…', cdots: '⋯', vdots: '⋮', ddots: '⋱', prime: '′', ell: 'ℓ', emptyset: '∅',
  // spacing: a space (dropped next to a bracket at the end), negative space and break hints vanish
  ',': ' ', ':': ' ', ';': ' ', '>': ' ', ' ': ' ', thinspace: ' ', enspace: ' ', quad: ' ',
  qquad: ' ', '!': '', negthinspace: '', allowbreak: '', nobreak: '',
  // escaped characters
  '{': '{', '}': '}', '%': '%', '$': '$', '&': '&', '#': '#', _: '_', '|': '‖',
};

/** Commands printed as their name (upright function names). */
const WORDS = new Set([
  'tanh', 'sinh', 'cosh', 'sin', 'cos', 'tan', 'exp', 'log', 'ln', 'lg', 'max', 'min', 'sup', 'inf',
  'arg', 'det', 'dim', 'lim', 'ker', 'gcd', 'Pr', 'deg', 'argmax', 'argmin',
]);

/** Sizing commands: dropped, the delimiter after them stays (`\left.` leaves nothing). */
const SIZES = new Set([
  'left', 'right', 'middle', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'biggl',
  'biggr', 'Biggl', 'Biggr', 'bigm', 'Bigm',
]);

/** One-argument commands whose argument is shown as is: text (its spaces count) … */
const TEXT = new Set(['text', 'textrm', 'textit', 'textbf', 'textsf', 'texttt', 'mbox', 'hbox']);
/** … and maths fonts and operator names (spaces in them do not). */
const FONTS = new Set([
  'mathrm', 'mathit', 'mathbf', 'mathsf', 'mathtt', 'mathcal', 'mathfrak', 'mathscr', 'boldsymbol',
  'bm', 'operatorname',
]);

/** Prefix operators written against their operand: `\partial h` → ∂h. */
const PREFIX = new Set(['partial', 'nabla', 'neg']);

/** Accents: a combining mark after the argument. */
const ACCENTS: Record<string, string> = {
  tilde: '\u0303', widetilde: '\u0303', hat: '\u0302', widehat: '\u0302', bar: '\u0304',
  overline: '\u0305', vec: '\u20d7', overrightarrow: '\u20d7', overleftarrow: '\u20d6', dot: '\u0307',
  ddot: '\u0308', check: '\u030c', breve: '\u0306', acute: '\u0301', grave: '\u0300',
};

const DOUBLE_STRUCK: Record<string, string> = { R: 'ℝ', N: 'ℕ', Z: 'ℤ', Q: 'ℚ', C: 'ℂ', P: 'ℙ', E: '𝔼' };

const MAX_DEPTH = 64;

class Reader {
  i = 0;
  constructor(readonly src: string) {}

  /** Next token: a control sequence (`\name`, `\,`), a single character, or '' at the end. */
  next(): string {
    const s = this.src;
    if (this.i >= s.length) return '';
    const c = s[this.i]!;
    if (c !== '\\') {
      const cp = s.codePointAt(this.i)!;
      const ch = String.fromCodePoint(cp);
      this.i += ch.length;
      return ch;
    }
    const word = /^\\([a-zA-Z]+)/.exec(s.slice(this.i));
    if (word) {
      this.i += word[0].length;
      return word[0];
    }
    this.i += 2;
    return s.slice(this.i - 2, this.i);
  }

  peek(): string {
    const at = this.i;
    const t = this.next();
    this.i = at;
    return t;
  }

  skipSpace(): void {
    while (this.i < this.src.length && /\s/.test(this.src[this.i]!)) this.i++;
  }
}

/** True when `s` is one symbol: a character with its combining marks (`t`, `⊤`, `c̃`; not `10`). */
const isAtom = (s: string): boolean => /^\P{M}\p{M}*$/u.test(s);

/** `s` without its braced and bracketed parts (what is left is its top level). */
function topLevel(s: string): string {
  for (let prev = ''; prev !== s; ) [prev, s] = [s, s.replace(/\{[^{}]*\}|\([^()]*\)|\[[^[\]]*\]/g, '')];
  return s;
}

/** Wraps a fraction's part in parentheses when it is more than a single term. */
const fracPart = (s: string): string => (/[\s+\-−=,/·×]/.test(topLevel(s)) ? `(${s})` : s);

function convert(r: Reader, depth: number, opts: { until?: string; script?: boolean }): string {
  if (depth > MAX_DEPTH) throw new Error('formula nested too deeply');
  let out = '';
  for (;;) {
    const t = r.next();
    if (t === '') {
      if (opts.until) throw new Error(`missing ${opts.until}`);
      return out;
    }
    if (t === opts.until) return out;
    if (/^\s$/.test(t)) {
      if (!opts.script) out += ' ';
      continue;
    }
    if (t === '^' || t === '_') {
      const s = arg(r, depth, true).trim();
      out += t + (isAtom(s) ? s : `{${s}}`);
      continue;
    }
    if (t === '{') {
      out += convert(r, depth + 1, { until: '}', script: opts.script });
      continue;
    }
    if (t === '}') throw new Error('unbalanced }');
    if (t === '&') continue;
    if (t === '~') {
      out += ' ';
      continue;
    }
    if (t[0] !== '\\') {
      out += t;
      continue;
    }
    out += command(t.slice(1), r, depth, opts.script ?? false, out);
  }
}

/** One argument: a braced group or a single token (a command with its own arguments). */
function arg(r: Reader, depth: number, script = false): string {
  r.skipSpace();
  const t = r.next();
  if (t === '') throw new Error('missing argument');
  if (t === '{') return convert(r, depth + 1, { until: '}', script });
  if (t[0] === '\\') return command(t.slice(1), r, depth + 1, script, '');
  return t;
}

function command(name: string, r: Reader, depth: number, script: boolean, before: string): string {
  if (PREFIX.has(name)) r.skipSpace();
  if (name in SYMBOLS) return SYMBOLS[name]!;
  if (WORDS.has(name)) return name;
  if (SIZES.has(name)) {
    r.skipSpace();
    if (r.peek() === '.') r.next();
    return '';
  }
  if (TEXT.has(name)) return arg(r, depth, false);
  if (FONTS.has(name)) return arg(r, depth, script);
  if (name in ACCENTS) {
    const a = arg(r, depth, script);
    return a + ACCENTS[name]!;
  }
  if (name === 'mathbb') {
    const a = arg(r, depth, script);
    return [...a].map((c) => DOUBLE_STRUCK[c] ?? c).join('');
  }
  if (name === 'frac' || name === 'dfrac' || name === 'tfrac') {
    const num = arg(r, depth, script).trim();
    const den = arg(r, depth, script).trim();
    return `${fracPart(num)}/${fracPart(den)}`;
  }
  if (name === 'sqrt') {
    r.skipSpace();
    if (r.peek() === '[') {
      r.next();
      convert(r, depth + 1, { until: ']', script });
    }
    const a = arg(r, depth, script).trim();
    return isAtom(a) ? `√${a}` : `√(${a})`;
  }
  if (name === 'begin' || name === 'end') {
    arg(r, depth, true); // the environment's name
    return ' ';
  }
  if (name === '\\' || name === 'cr' || name === 'newline') {
    // A new line of an aligned block: rows usually end in their own comma.
    return /[,.;:]\s*$/.test(before) ? ' ' : '; ';
  }
  // Unknown (or a style switch such as \displaystyle): its name, then its arguments as groups.
  return /^(display|text|script|scriptscript)style$/.test(name) ? '' : name;
}

/** A readable plain-text form of `tex` (see the file's header); the TeX itself if it cannot. */
export function texToText(tex: string): string {
  try {
    const text = convert(new Reader(tex), 0, {});
    const tidy = text
      .replace(/\s+/g, ' ')
      .replace(/([([{]) /g, '$1')
      .replace(/ ([)\]};])/g, '$1')
      .trim()
      .normalize('NFC');
    return tidy || tex.trim();
  } catch {
    return tex.replace(/\s+/g, ' ').trim();
  }
}
