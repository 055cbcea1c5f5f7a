// Ink 6.8 re-reads every line of every frame: each Output (one per frame) starts with empty caches, so
// each line is tokenized into styled characters again, and the blank grid is 10,000 fresh objects at
// 200×50. The cockpit redraws after each key, and most lines of a frame were on screen in the frame
// before (scrolling moves them, it does not change them). This keeps Output's caches across frames
// (bounded: they start over past a few screens of lines) and shares one blank cell (cells are replaced,
// never changed). A frame at 200×50 then costs a third of the CPU (.bench-style measure in README).
// Applied to the bundle by scripts/bundle.mjs; a version of Ink whose source no longer matches fails
// the build rather than losing the patch silently.

const REPLACEMENTS = [
  ['    caches = new OutputCaches();', '    caches = meshdeckOutputCaches();'],
  [
    `                row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });`,
    '                row.push(MESHDECK_BLANK_CELL);',
  ],
];

const APPENDIX = `
// meshdeck (scripts/ink-output-patch.mjs): caches kept across frames, one blank cell.
const MESHDECK_BLANK_CELL = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });
let meshdeckCaches;
function meshdeckOutputCaches() {
    if (!meshdeckCaches || meshdeckCaches.styledChars.size > 600 || meshdeckCaches.widths.size > 20000 || meshdeckCaches.blockWidths.size > 2000) {
        meshdeckCaches = new OutputCaches();
    }
    return meshdeckCaches;
}
`;

export function patchInkOutput(source) {
  let out = source;
  for (const [from, to] of REPLACEMENTS) {
    if (!out.includes(from)) throw new Error(`ink/build/output.js does not contain the code scripts/ink-output-patch.mjs replaces (${from.trim().split('\n')[0]}): update the patch for this Ink version`);
    out = out.replace(from, to);
  }
  return out + APPENDIX;
}

/** The esbuild plugin that applies it. */
export const inkOutputPatch = {
  name: 'meshdeck-ink-output-cache',
  setup(build) {
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/]output\.js$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      return { contents: patchInkOutput(await readFile(args.path, 'utf8')), loader: 'js' };
    });
  },
};
