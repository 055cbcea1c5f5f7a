// Esc followed at once by another key reaches Ink as one read ("\x1b:" when the cockpit was busy drawing,
// or both came in one packet over SSH), and Ink reads it as that key with Alt (or, for punctuation, as
// the key alone): the Esc is lost, so Esc then `:` left the help open and typed nothing. meshdeck binds
// no Alt keys, so Esc with a printable key, a second Esc or Ctrl-C is handed on as the two keys it was.
// Escape sequences (ESC [ ..., ESC O ...: arrows, function keys) and Alt with Backspace, Enter or an
// arrow (ESC DEL, ESC CR, ESC ESC [ A) are left to Ink.
// Applied to the bundle by scripts/bundle.mjs; the build fails if Ink's code no longer matches.

const FROM = `        const handleData = (data) => {
            const keypress = parseKeypress(data);`;
const TO = `        const handleData = (data) => {
            if (meshdeckEscapeThenKey(data)) {
                handleData('\\u001B');
                handleData(data.slice(1));
                return;
            }
            const keypress = parseKeypress(data);`;

const APPENDIX = `
// meshdeck (scripts/ink-input-patch.mjs): Esc and the key after it, read together.
function meshdeckEscapeThenKey(data) {
    if (typeof data !== 'string' || data.length < 2 || data[0] !== '\\u001B') {
        return false;
    }
    // Two Escapes, and Esc then Ctrl-C (which must always quit).
    if (data === '\\u001B\\u001B' || data === '\\u001B\\u0003') {
        return true;
    }
    // Esc and a printable key. Not: escape sequences (ESC [, ESC O), and Alt with Backspace, Enter or
    // an arrow, which terminals send as ESC and that key and which Ink reads as that key.
    const next = data.codePointAt(1);
    return next >= 0x20 && next !== 0x7f && data[1] !== '[' && data[1] !== 'O';
}
`;

export function patchInkInput(source) {
  if (!source.includes(FROM)) throw new Error('ink/build/hooks/use-input.js does not contain the handleData that scripts/ink-input-patch.mjs changes: review the patch for this Ink version');
  return source.replace(FROM, TO) + APPENDIX;
}

/** The esbuild plugin that applies it. */
export const inkInputPatch = {
  name: 'meshdeck-ink-escape-then-key',
  setup(build) {
    build.onLoad({ filter: /[\\/]ink[\\/]build[\\/]hooks[\\/]use-input\.js$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      return { contents: patchInkInput(await readFile(args.path, 'utf8')), loader: 'js' };
    });
  },
};
