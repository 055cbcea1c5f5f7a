// Bundles the compiled CLI (dist/cli/main.js) into dist/bundle/: one entry and lazily loaded chunks.
// Why: Node's ESM loader resolves and links every file on its own, and Ink alone is a few hundred of
// them; loading the cockpit took ~450 ms unbundled and ~90 ms bundled (README, design notes).
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { inkOutputPatch } from './ink-output-patch.mjs';
import { inkInputPatch } from './ink-input-patch.mjs';
import { inkCachePatch } from './ink-cache-patch.mjs';

const out = new URL('../dist/bundle/', import.meta.url);
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: { meshdeck: new URL('../dist/cli/main.js', import.meta.url).pathname },
  outdir: out.pathname,
  bundle: true,
  // Dynamic imports stay lazy: the cockpit, the simulator and the CA code load only when used.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // The Kubernetes client is loaded after the first frame and is large; it stays a normal dependency.
  // react-devtools-core is Ink's optional debugging peer, loaded only with DEV=true. ws (port-forward,
  // the simulator's WebSocket server) is a dependency with optional native add-ons it require()s itself.
  external: ['@kubernetes/client-node', 'react-devtools-core', 'ws'],
  define: {
    // React's production build is chosen when the bundle is made, not by NODE_ENV at run time.
    'process.env.NODE_ENV': '"production"',
    // Ink's layout engine (yoga, WebAssembly) asks `typeof fetch` while it loads; in Node 20 that alone
    // loads undici and the web globals, 60 ms before the first frame. Nothing bundled fetches over the
    // network (the Kubernetes API goes over node:https), so the global is not there for the bundle.
    fetch: 'undefined',
  },
  logOverride: { 'assign-to-define': 'silent' },
  // CommonJS dependencies (node-forge, React) call require() for Node's built-in modules.
  banner: { js: "import { createRequire as __meshdeckCreateRequire } from 'node:module';\nconst require = __meshdeckCreateRequire(import.meta.url);" },
  sourcemap: true,
  // Ink's Output draws a row once (scripts/ink-output-patch.mjs); Esc and the key after it, read
  // together, are two keys (scripts/ink-input-patch.mjs); Ink's text caches are bounded
  // (scripts/ink-cache-patch.mjs).
  plugins: [inkOutputPatch, inkInputPatch, inkCachePatch],
  logLevel: 'warning',
});
// npm links `bin` entries itself, but a direct `./dist/bundle/meshdeck.js` run needs the mode bit.
chmodSync(new URL('meshdeck.js', out), 0o755);
chmodSync(new URL('../dist/cli/main.js', import.meta.url), 0o755);
