/** A row filter as the user typed it: plain text, a regular expression, `!` in front to invert. */
export interface RowFilter {
  text: string;
  matches(haystack: string): boolean;
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
  return { text, matches: inverted ? (haystack) => !test(haystack) : test, ...(regexError ? { regexError } : {}) };
}
