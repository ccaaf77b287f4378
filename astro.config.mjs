// @ts-check
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import remarkLessonCheck from './src/markdown/remark-lesson-check.ts';
import remarkCells from './src/markdown/remark-cells.ts';
import remarkBaseLinks from './src/markdown/remark-base-links.ts';
import rehypeScrollBoxes from './src/markdown/rehype-scroll-boxes.ts';
import rehypeKatexErrors from './src/markdown/rehype-katex-errors.ts';
import rehypeMathSearchText from './src/markdown/rehype-math-search-text.ts';
import { shikiInheritDefault } from './src/markdown/shiki-inherit-default.ts';
import rehypeMathStack from './src/markdown/rehype-math-stack.ts';
import rehypeSections from './src/markdown/rehype-sections.ts';
import offline from './src/site/offline/integration.ts';
import linkCheck from './src/site/link-check.ts';

// Deploying under a sub-path (e.g. GitHub Pages project sites): BASE_PATH=/my-course/ npm run build
const base = process.env.BASE_PATH ?? '/';

export default defineConfig({
  base,
  trailingSlash: 'ignore',
  // offline(): Pagefind + sw.js with the build's file list (src/site/offline/integration.ts).
  // linkCheck(): fails the build on an internal link or #anchor that goes nowhere, naming the
  // lesson file (src/site/link-check.ts); last, so it checks the output as it ships.
  integrations: [mdx(), offline(), linkCheck()],
  // The kernel worker lazily imports tfjs and src/rnn: ES-module workers allow code-splitting.
  // (Required by src/ui/notebook.ts's `new Worker(new URL('../kernel/worker.ts', ...))`.)
  vite: {
    worker: { format: 'es' },
    resolve: {
      // The site ships tfjs-core + tfjs-layers + the cpu backend only (src/tfjs/index.ts says
      // why and what fails how); Node, the unit tests and the benchmarks keep the full package.
      alias: [{ find: /^@tensorflow\/tfjs$/, replacement: fileURLToPath(new URL('./src/tfjs/index.ts', import.meta.url)) }],
    },
  },
  markdown: {
    // remarkLessonCheck first: every mistake in the body (unknown component, prop or value, a
    // malformed cell fence, a cell that does not parse or has no Keras twin) stops the build as
    // one error, each at its `file:line:column`. remarkCells then runs before the others so cell
    // code is never touched by them.
    remarkPlugins: [remarkLessonCheck, remarkCells, remarkMath, [remarkBaseLinks, { base }]],
    // KaTeX renders at build time (HTML + MathML); a formula it cannot parse fails the build
    // with the file, line and KaTeX's message (rehypeKatexErrors). rehypeMathSearchText gives each
    // formula a readable text for search excerpts (an attribute Pagefind indexes; pagefind.yml).
    // rehypeMathStack groups consecutive display equations; rehypeSections groups the body by
    // h2 so off-screen sections skip style, layout and paint (layout.css).
    rehypePlugins: [
      [rehypeKatex, { throwOnError: false, strict: 'warn' }],
      rehypeKatexErrors,
      rehypeMathSearchText,
      rehypeScrollBoxes,
      rehypeMathStack,
      rehypeSections,
    ],
    shikiConfig: {
      // Both themes are emitted as CSS variables (--shiki-light / --shiki-dark); the site's
      // CSS picks one from the `data-theme` attribute on <html>.
      themes: { light: 'github-light-default', dark: 'github-dark-default' },
      defaultColor: false,
      wrap: false,
      transformers: [shikiInheritDefault()],
    },
  },
});
