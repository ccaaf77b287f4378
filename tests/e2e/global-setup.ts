/**
 * Builds the site once (Astro + Pagefind) under a sub-path base, serves the output on a
 * free localhost port and hands the URL to the tests (`inject('baseUrl')`).
 *
 * Environment:
 *   E2E_OUT_DIR   where to build (default: dist-e2e). Use a private dir when several
 *                 people build at once.
 *   E2E_NO_BUILD  set to 1 to reuse an existing build in E2E_OUT_DIR.
 *   E2E_BASE      the sub-path to build under (default: /rnn-notebook/).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startStaticServer } from './static-server';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    outDir: string;
  }
}

export default async function setup(project: TestProject) {
  const root = resolve(__dirname, '../..');
  const outDir = resolve(root, process.env.E2E_OUT_DIR ?? 'dist-e2e');
  const base = process.env.E2E_BASE ?? '/rnn-notebook/';
  if (process.env.E2E_NO_BUILD !== '1' || !existsSync(resolve(outDir, 'index.html'))) {
    // Vitest sets BASE_URL=/, DEV, NODE_ENV=test… for its own Vite; a child Astro build must not
    // inherit them (BASE_URL would silently override the base path).
    const env: NodeJS.ProcessEnv = { ...process.env, BASE_PATH: base };
    for (const k of Object.keys(env)) {
      if (/^(BASE_URL|DEV|PROD|SSR|MODE|NODE_ENV|VITEST.*)$/.test(k)) delete env[k];
    }
    // Astro puts its intermediate server bundle in `<root>/.astro/` when --outDir is outside the
    // project, a directory shared by every such build running at the same time (they then mix
    // each other's pages). So build into a private directory inside the project and move it.
    const buildDir = outDir.startsWith(root + sep) ? outDir : resolve(root, `dist-e2e-build-${process.pid}`);
    try {
      execFileSync('npx', ['astro', 'build', '--outDir', buildDir], { cwd: root, env, stdio: 'inherit' });
      if (buildDir !== outDir) {
        rmSync(outDir, { recursive: true, force: true });
        cpSync(buildDir, outDir, { recursive: true });
      }
    } finally {
      if (buildDir !== outDir) rmSync(buildDir, { recursive: true, force: true });
    }
  }
  const server = await startStaticServer(outDir, base);
  project.provide('baseUrl', server.url);
  project.provide('outDir', outDir);
  return async () => {
    await server.close();
  };
}
