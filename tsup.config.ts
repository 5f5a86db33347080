import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { defineConfig, type Options } from 'tsup';

/** The package's entry points: `express-device-2fa` and its subpaths (see `exports` in package.json). */
const ENTRIES = ['index', 'redis', 'twilio', 'testing'] as const;

const common: Options = {
  platform: 'node',
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  // No source maps: the output is esbuild's unminified JavaScript with the source's own names, so the
  // package need not ship src/ for maps to resolve.
  sourcemap: false,
  dts: false,
};

/**
 * Both formats come from esbuild, through tsup; `npm run build` empties dist/ first.
 *
 * - ESM: one bundle per entry (`dist/<entry>.mjs`), the code they share in chunks, so
 *   `express-device-2fa/redis` throws the same `StoreUnavailableError` class as the main entry.
 * - CommonJS: each source file transpiled on its own (`dist/cjs/**\/*.js`), so every module exists
 *   once whatever entry loads it (tsup's CommonJS code splitting is experimental and rewrites the
 *   code with sucrase).
 * - Declarations: the project's own compiler. tsup's `dts` needs TypeScript's JavaScript API, which
 *   TypeScript 7 does not have, so `tsc -p tsconfig.build.json` writes a `.d.ts` beside each CommonJS
 *   file, and each entry gets a one-line `dist/<entry>.d.mts` re-exporting it, so `import` sees
 *   declarations of its own format.
 */
export default defineConfig([
  {
    ...common,
    entry: Object.fromEntries(ENTRIES.map((name) => [name, `src/${name}.ts`])),
    format: 'esm',
    outDir: 'dist',
    outExtension: () => ({ js: '.mjs' }),
    splitting: true,
    // The optional "twilio" peer is loaded with require() on first use; ESM has no require of its own.
    banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  },
  {
    ...common,
    entry: ['src/**/*.ts'],
    format: 'cjs',
    outDir: 'dist/cjs',
    outExtension: () => ({ js: '.js' }),
    bundle: false,
    async onSuccess() {
      const tsc = join(dirname(createRequire(resolve('package.json')).resolve('typescript/package.json')), 'bin', 'tsc');
      execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
      for (const name of ENTRIES) writeFileSync(`dist/${name}.d.mts`, `export * from './cjs/${name}.js';\n`);
    },
  },
]);
