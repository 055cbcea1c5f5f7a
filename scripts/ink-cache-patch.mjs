// Ink 6.8 keeps two caches that never forget: measure-text.js remembers the size of every text it ever
// measured, wrap-text.js every text it ever wrapped or cut. The cockpit draws new texts all the time (a
// log view following 20,000 lines/s draws about 450 new rows a second, ages and counts change in the
// tables), so both grew without end: the log view's live heap went from 67 to 88 MB in its third minute,
// all of it row texts. This bounds each (it starts over past 10,000 texts, a few hundred screens).
// Applied to the bundle by scripts/bundle.mjs; the build fails if Ink's code no longer matches.

const LIMIT = 10_000;

const PATCHES = {
  'measure-text.js': [
    ['    cache.set(text, dimensions);', `    if (cache.size >= ${LIMIT}) {\n        cache.clear();\n    }\n    cache.set(text, dimensions);`],
  ],
  'wrap-text.js': [
    ['const cache = {};', 'let cache = {};\nlet meshdeckCached = 0;'],
    ['    cache[cacheKey] = wrappedText;', `    if (++meshdeckCached > ${LIMIT}) {\n        cache = {};\n        meshdeckCached = 1;\n    }\n    cache[cacheKey] = wrappedText;`],
  ],
};

/** `file` is the base name of one of Ink's build files; its source with the cache bounded. */
export function patchInkCache(file, source) {
  let out = source;
  for (const [from, to] of PATCHES[file] ?? []) {
    if (!out.includes(from)) throw new Error(`ink/build/${file} does not contain "${from.trim()}": scripts/ink-cache-patch.mjs was written for Ink 6.8; review it for this Ink version`);
    out = out.replace(from, to);
  }
  return out;
}

/** The esbuild plugin that applies it. */
export const inkCachePatch = {
  name: 'meshdeck-ink-bounded-caches',
  setup(build) {
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/](measure-text|wrap-text)\.js$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const { basename } = await import('node:path');
      return { contents: patchInkCache(basename(args.path), await readFile(args.path, 'utf8')), loader: 'js' };
    });
  },
};
