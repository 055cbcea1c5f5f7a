// Ink 6.8 redraws every line of every frame from scratch: each Output (one per frame) starts with empty
// caches, tokenizes every line into styled characters, places them in a fresh grid of cells (10,000 at
// 200×50) and turns each row of cells back into a string. The cockpit redraws after each key, and most
// rows of a frame were on screen in the frame before, often at another height (scrolling and following
// move rows, they do not change them). This patch
// - keeps Output's caches across frames (bounded: they start over past a few screens of lines);
// - draws a row from the writes that land on it, and remembers the rows it drew: a row made of the same
//   writes (same x, same text, same width) is the same string, so it is not drawn again.
// Output.get() is replaced whole; its original is pinned by hash, so a version of Ink whose code differs
// fails the build (scripts/bundle.mjs applies the patch) rather than drawing with a stale copy.
import { createHash } from 'node:crypto';

/** SHA-256 of Ink 6.8's `get() { ... }` in build/output.js, which MESHDECK_GET below replaces. */
const ORIGINAL_GET_SHA256 = '27abe5b4354d8a7bbcdb23e823546fc5925258dedc7c91891b8ff9bff0f42c3d';

const CACHES = ['    caches = new OutputCaches();', '    caches = meshdeckOutputCaches();'];

// The same steps as Ink's get(), clipping included, except that writes are collected per row first.
const MESHDECK_GET = `    get() {
        const rows = [];
        for (let y = 0; y < this.height; y++) {
            rows.push([]);
        }
        const clips = [];
        for (const operation of this.operations) {
            if (operation.type === 'clip') {
                clips.push(operation.clip);
            }
            if (operation.type === 'unclip') {
                clips.pop();
            }
            if (operation.type === 'write') {
                const { text, transformers } = operation;
                let { x, y } = operation;
                let lines = text.split('\\n');
                const clip = clips.at(-1);
                if (clip) {
                    const clipHorizontally = typeof clip?.x1 === 'number' && typeof clip?.x2 === 'number';
                    const clipVertically = typeof clip?.y1 === 'number' && typeof clip?.y2 === 'number';
                    if (clipHorizontally) {
                        const width = this.caches.getWidestLine(text);
                        if (x + width < clip.x1 || x > clip.x2) {
                            continue;
                        }
                    }
                    if (clipVertically) {
                        const height = lines.length;
                        if (y + height < clip.y1 || y > clip.y2) {
                            continue;
                        }
                    }
                    if (clipHorizontally) {
                        lines = lines.map(line => {
                            const from = x < clip.x1 ? clip.x1 - x : 0;
                            const width = this.caches.getStringWidth(line);
                            const to = x + width > clip.x2 ? clip.x2 - x : width;
                            return sliceAnsi(line, from, to);
                        });
                        if (x < clip.x1) {
                            x = clip.x1;
                        }
                    }
                    if (clipVertically) {
                        const from = y < clip.y1 ? clip.y1 - y : 0;
                        const height = lines.length;
                        const to = y + height > clip.y2 ? clip.y2 - y : height;
                        lines = lines.slice(from, to);
                        if (y < clip.y1) {
                            y = clip.y1;
                        }
                    }
                }
                let offsetY = 0;
                for (let [index, line] of lines.entries()) {
                    const row = rows[y + offsetY];
                    // As in Ink: a line outside the grid is skipped without moving on a row.
                    if (!row) {
                        continue;
                    }
                    for (const transformer of transformers) {
                        line = transformer(line, index);
                    }
                    row.push(x, line);
                    offsetY++;
                }
            }
        }
        const drawn = [];
        for (const writes of rows) {
            drawn.push(meshdeckDrawRow(this, writes));
        }
        return {
            output: drawn.join('\\n'),
            height: rows.length,
        };
    }`;

const APPENDIX = `
// meshdeck (scripts/ink-output-patch.mjs): caches kept across frames, rows drawn once.
const MESHDECK_BLANK_CELL = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });
let meshdeckCaches;
function meshdeckOutputCaches() {
    if (!meshdeckCaches || meshdeckCaches.styledChars.size > 200 || meshdeckCaches.widths.size > 20000 || meshdeckCaches.blockWidths.size > 2000) {
        meshdeckCaches = new OutputCaches();
    }
    return meshdeckCaches;
}
const meshdeckRows = new Map();
function meshdeckDrawRow(output, writes) {
    if (writes.length === 0) {
        return '';
    }
    // x, length and text of each write: unambiguous whatever the text holds.
    let key = String(output.width);
    for (let i = 0; i < writes.length; i += 2) {
        key += '\\u0000' + writes[i] + '\\u0000' + writes[i + 1].length + '\\u0000' + writes[i + 1];
    }
    const known = meshdeckRows.get(key);
    if (known !== undefined) {
        return known;
    }
    const currentLine = [];
    for (let x = 0; x < output.width; x++) {
        currentLine.push(MESHDECK_BLANK_CELL);
    }
    for (let i = 0; i < writes.length; i += 2) {
        const characters = output.caches.getStyledChars(writes[i + 1]);
        let offsetX = writes[i];
        for (const character of characters) {
            currentLine[offsetX] = character;
            const characterWidth = Math.max(1, output.caches.getStringWidth(character.value));
            if (characterWidth > 1) {
                for (let index = 1; index < characterWidth; index++) {
                    currentLine[offsetX + index] = {
                        type: 'char',
                        value: '',
                        fullWidth: false,
                        styles: character.styles,
                    };
                }
            }
            offsetX += characterWidth;
        }
    }
    const text = styledCharsToString(currentLine.filter(item => item !== undefined)).trimEnd();
    if (meshdeckRows.size >= 2000) {
        meshdeckRows.clear();
    }
    meshdeckRows.set(key, text);
    return text;
}
`;

function fail(what) {
  return new Error(`ink/build/output.js ${what}: scripts/ink-output-patch.mjs was written for Ink 6.8; review it for this Ink version`);
}

export function patchInkOutput(source) {
  if (!source.includes(CACHES[0])) throw fail(`does not contain "${CACHES[0].trim()}"`);
  const start = source.indexOf('\n    get() {\n');
  const end = source.lastIndexOf('\n    }\n}');
  if (start < 0 || end < start) throw fail('has no get() method where it was');
  const original = source.slice(start + 1, end + 6);
  if (createHash('sha256').update(original).digest('hex') !== ORIGINAL_GET_SHA256) throw fail('has a get() that differs from the one the patch replaces');
  return source.slice(0, start + 1).replace(CACHES[0], CACHES[1]) + MESHDECK_GET + source.slice(end + 6) + APPENDIX;
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
