import { describe, expect, it } from 'vitest';
import { writeFailure } from '../../source/cli/write-failure.js';

const err = (code: string) => Object.assign(new Error(`${code}: raw message, open '/x/y.yaml'`), { code });

describe('why a values file cannot be written', () => {
  it.each([
    ['ENOENT', 'cannot write /x/y.yaml: the directory /x does not exist'],
    ['EACCES', 'cannot write /x/y.yaml: no permission to write in /x (or to replace that file)'],
    ['EPERM', 'cannot write /x/y.yaml: no permission to write in /x (or to replace that file)'],
    ['EISDIR', 'cannot write /x/y.yaml: it is a directory; name a file'],
    ['EROFS', 'cannot write /x/y.yaml: /x is on a read-only file system'],
    ['ENOTDIR', 'cannot write /x/y.yaml: part of the path is a file, not a directory'],
  ])('%s: one line without errno jargon', (code, line) => {
    expect(writeFailure(err(code), '/x/y.yaml')).toBe(line);
  });

  it('anything else keeps the first line of the message', () => {
    expect(writeFailure(new Error('odd\nstack'), '/x/y.yaml')).toBe('cannot write /x/y.yaml: odd');
  });
});
