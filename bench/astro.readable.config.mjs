// @ts-check
/**
 * The site's Astro config with minification off, for `npm run bench -- --only=page --profile`:
 * CPU profiles of an unminified build name tfjs's and our functions.
 */
import config from '../astro.config.mjs';

export default {
  ...config,
  vite: { ...config.vite, build: { ...(config.vite?.build ?? {}), minify: false } },
};
