/** A row filter as the user typed it: plain text, a regular expression, `!` in front to invert. */
export interface RowFilter {
  text: string;
  /** True when any of the row's fields matches (none, when inverted), so `^cart$` finds the workload named cart. */
  matches(fields: readonly (string | undefined)[]): boolean;
  /** Set when the text looked like a regex but did not compile; the filter then matches literally. */
  regexError?: string;
}

const REGEX_HINT = /[\\^$.*+?()[\]{}|]/;

export function compileFilter(text: string): RowFilter {
  const inverted = text.startsWith('!');
  const body = inverted ? text.slice(1) : text;
  if (body === '') return { text, matches: () => true };
  let test: (haystack: string) => boolean;
  let regexError: string | undefined;
  if (REGEX_HINT.test(body)) {
    try {
      const regex = new RegExp(body, 'i');
      test = (haystack) => regex.test(haystack);
    } catch (error) {
      regexError = (error as Error).message;
      const needle = body.toLowerCase();
      test = (haystack) => haystack.toLowerCase().includes(needle);
    }
  } else {
    const needle = body.toLowerCase();
    test = (haystack) => haystack.toLowerCase().includes(needle);
  }
  const any = (fields: readonly (string | undefined)[]) => fields.some((field) => field !== undefined && test(field));
  return { text, matches: inverted ? (fields) => !any(fields) : any, ...(regexError ? { regexError } : {}) };
}
