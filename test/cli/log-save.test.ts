import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveLinesToNewFile } from '../../source/cli/log-view-source.js';

describe("the log view's save (s)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshdeck-log-save-'));

  it('writes the lines as the proxies wrote them, readable by the user alone', async () => {
    const path = join(dir, 'incident.log');
    expect(await saveLinesToNewFile(path, ['a', 'b'])).toBe(`saved 2 lines to ${path}`);
    expect(readFileSync(path, 'utf8')).toBe('a\nb\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('never overwrites, and says what to change when it cannot write, in the words the port editor uses', async () => {
    const existing = join(dir, 'kept.log');
    writeFileSync(existing, 'mine\n');
    expect(await saveLinesToNewFile(existing, ['x'])).toBe(`${existing} exists; choose another name (meshdeck never overwrites a file)`);
    expect(readFileSync(existing, 'utf8')).toBe('mine\n');
    expect(await saveLinesToNewFile(join(dir, 'no-such-dir', 'x.log'), ['x'])).toBe(`cannot write ${join(dir, 'no-such-dir', 'x.log')}: the directory ${join(dir, 'no-such-dir')} does not exist`);
    expect(await saveLinesToNewFile(join(existing, 'x.log'), ['x'])).toBe(`cannot write ${join(existing, 'x.log')}: part of the path is a file, not a directory`);
  });
});
