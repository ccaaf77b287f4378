// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';

// Deploying under a sub-path (e.g. GitHub Pages project sites): BASE_PATH=/my-course/ npm run build
const base = process.env.BASE_PATH ?? '/';

export default defineConfig({
  base,
  trailingSlash: 'ignore',
  integrations: [mdx()],
  markdown: {
    remarkPlugins: [remarkMath],
    rehypePlugins: [[rehypeKatex, { throwOnError: false, strict: 'warn' }]],
    shikiConfig: { themes: { light: 'github-light', dark: 'github-dark' } },
  },
});
