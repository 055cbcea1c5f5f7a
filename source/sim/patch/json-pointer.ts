import { badRequest } from './patch-error.js';

/**
 * Splits an RFC 6901 JSON pointer into unescaped reference tokens ("" is the whole document).
 * A malformed pointer can never apply to any document, so it is a bad request rather than an invalid one.
 */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw badRequest(`invalid JSON pointer "${pointer}": it must be empty or start with "/"`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map((token) => unescapeToken(token, pointer));
}

export function formatJsonPointer(tokens: readonly string[]): string {
  return tokens.map((token) => '/' + token.replaceAll('~', '~0').replaceAll('/', '~1')).join('');
}

function unescapeToken(token: string, pointer: string): string {
  // "~" may only introduce "~0" or "~1"; anything else is an escape the RFC does not define.
  if (/~(?![01])/.test(token)) {
    throw badRequest(`invalid JSON pointer "${pointer}": "~" must be followed by "0" or "1"`);
  }
  // "~1" first, so "~01" becomes "~1" and not "/".
  return token.replaceAll('~1', '/').replaceAll('~0', '~');
}
