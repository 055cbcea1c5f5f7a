// Tokens of the label selector query syntax. Kept separate from the parser because the same
// word means different things by position: "in" is an operator after a key but a value inside
// "(…)", so the parser, not the lexer, decides.

export type TokenType = 'identifier' | 'in' | 'notin' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'end';

export interface Token {
  type: TokenType;
  /** The text as written; "" at the end of input, which is what error messages then show. */
  literal: string;
}

const WHITESPACE = new Set([' ', '\t', '\r', '\n']);
const SYMBOLS = new Set(['=', '!', '(', ')', ',', '>', '<']);
// "==" and "!=" are the only symbols longer than one character; "===" lexes as "==" then "=".
const TWO_CHAR_SYMBOLS = new Set(['==', '!=']);

export function lexLabelSelector(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && WHITESPACE.has(text[pos] as string)) pos++;
    if (pos >= text.length) {
      tokens.push({ type: 'end', literal: '' });
      return tokens;
    }
    const char = text[pos] as string;
    if (SYMBOLS.has(char)) {
      const pair = text.slice(pos, pos + 2);
      const symbol = TWO_CHAR_SYMBOLS.has(pair) ? pair : char;
      tokens.push({ type: symbol as TokenType, literal: symbol });
      pos += symbol.length;
      continue;
    }
    const start = pos;
    while (pos < text.length && !SYMBOLS.has(text[pos] as string) && !WHITESPACE.has(text[pos] as string)) pos++;
    const word = text.slice(start, pos);
    tokens.push({ type: word === 'in' || word === 'notin' ? word : 'identifier', literal: word });
  }
}
