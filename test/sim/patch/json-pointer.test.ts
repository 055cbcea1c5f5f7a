import { describe, expect, it } from 'vitest';
import { formatJsonPointer, parseJsonPointer } from '../../../source/sim/patch/json-pointer.js';

describe('parseJsonPointer', () => {
  // The pointers of RFC 6901 section 5, plus the annotation keys that make escaping matter in Kubernetes.
  it.each<[string, string[]]>([
    ['', []],
    ['/foo', ['foo']],
    ['/foo/0', ['foo', '0']],
    ['/', ['']],
    ['/a~1b', ['a/b']],
    ['/m~0n', ['m~n']],
    ['/~01', ['~1']],
    ['/ ', [' ']],
    ['/metadata/annotations/kubectl.kubernetes.io~1restartedAt', ['metadata', 'annotations', 'kubectl.kubernetes.io/restartedAt']],
    ['/spec/template/spec/containers/-', ['spec', 'template', 'spec', 'containers', '-']],
  ])('%j -> %j', (pointer, tokens) => {
    expect(parseJsonPointer(pointer)).toEqual(tokens);
    expect(formatJsonPointer(tokens)).toBe(pointer);
  });

  it.each([
    ['spec/replicas', 'invalid JSON pointer "spec/replicas": it must be empty or start with "/"'],
    ['/a~2b', 'invalid JSON pointer "/a~2b": "~" must be followed by "0" or "1"'],
    ['/trailing~', 'invalid JSON pointer "/trailing~": "~" must be followed by "0" or "1"'],
  ])('rejects %j as a bad request', (pointer, message) => {
    expect(() => parseJsonPointer(pointer)).toThrow(expect.objectContaining({ code: 400, reason: 'BadRequest', message }));
  });
});
