import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainFlag, RESPONSE_FLAGS } from '../../../source/mesh/access-log/flags.js';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'access-logs');
/** The %RESPONSE_FLAGS% section of Envoy's access-log docs (usage.rst), verbatim. */
const docs = readFileSync(join(fixtures, 'envoy-response-flags.rst'), 'utf8');
/** The flag constants of Envoy's source/common/stream_info/utility.h, verbatim. */
const header = readFileSync(join(fixtures, 'envoy-response-flags.h.txt'), 'utf8');

const documented = [...docs.matchAll(/\* \*\*([A-Z]+)\*\*:/g)].map((m) => m[1]!);
const httpAndTcp = [...docs.slice(docs.indexOf('HTTP and TCP'), docs.indexOf('HTTP only')).matchAll(/\* \*\*([A-Z]+)\*\*:/g)].map((m) => m[1]!);
const shortNames = new Map([...header.matchAll(/static absl::string_view (\w+) = "([^"]+)";/g)].filter((m) => m[2] !== '-' && !m[1]!.endsWith('_LONG')).map((m) => [m[1]!, m[2]!]));
const longNames = new Map([...header.matchAll(/static absl::string_view (\w+)_LONG =\s*"([^"]+)";/g)].map((m) => [m[1]!, m[2]!]));
const defined = [...shortNames].map(([constant, flag]) => ({ flag, name: longNames.get(constant) }));

describe('RESPONSE_FLAGS', () => {
  it('the fixtures hold what Envoy documents and defines', () => {
    expect(documented).toHaveLength(25);
    expect(defined).toHaveLength(29);
    expect(defined.every((d) => d.name)).toBe(true);
  });

  it('has every flag the Envoy docs list', () => {
    for (const flag of documented) expect(RESPONSE_FLAGS[flag], flag).toBeDefined();
  });

  it("has exactly the flags Envoy's source defines, with Envoy's long names", () => {
    expect(Object.keys(RESPONSE_FLAGS).sort()).toEqual(defined.map((d) => d.flag).sort());
    for (const { flag, name } of defined) expect(RESPONSE_FLAGS[flag]!.name, flag).toBe(name);
  });

  it('says which flags Envoy also sets for TCP connections', () => {
    for (const flag of documented) expect(RESPONSE_FLAGS[flag]!.scope, flag).toBe(httpAndTcp.includes(flag) ? 'http+tcp' : 'http');
  });

  it('explains every flag in words of its own, with a likely cause', () => {
    const meanings = new Set<string>();
    const causes = new Set<string>();
    for (const info of Object.values(RESPONSE_FLAGS)) {
      expect(info.meaning.length, info.flag).toBeGreaterThan(20);
      expect(info.likelyCause.length, info.flag).toBeGreaterThan(30);
      meanings.add(info.meaning);
      causes.add(info.likelyCause);
      // Not Envoy's sentence copied: the docs' wording for the flag does not appear in ours.
      const line = new RegExp(`\\*\\*${info.flag}\\*\\*: ([^\\n]+)`).exec(docs)?.[1];
      if (line) expect(info.meaning).not.toContain(line.replace(/:ref:`[^`]*`/g, '').slice(0, 40));
    }
    expect(meanings.size).toBe(Object.keys(RESPONSE_FLAGS).length);
    expect(causes.size).toBe(Object.keys(RESPONSE_FLAGS).length);
  });

  it('cannot be changed by a caller', () => {
    expect(Object.isFrozen(RESPONSE_FLAGS)).toBe(true);
    expect(Object.isFrozen(RESPONSE_FLAGS['UF'])).toBe(true);
  });
});

describe('explainFlag', () => {
  it.each([
    ['UF', /connection/i, /mTLS/],
    ['UH', /healthy/i, /endpoints/],
    ['NR', /route/i, /VirtualService/],
    ['URX', /retr/i, /retries twice/],
    ['UO', /circuit breaker/i, /connectionPool/],
    ['DC', /caller closed/i, /timeout/],
    ['UT', /timeout/i, /VirtualService timeout/],
    ['UC', /closed the connection/i, /idleTimeout/],
    ['NC', /cluster/i, /subset/],
    ['UAEX', /external authorization/i, /CUSTOM/],
    ['UPE', /not valid HTTP/i, /appProtocol/],
    ['FI', /fault injection/i, /fault\.abort/],
    ['RL', /rate limit/i, /rate-limit/],
    ['LR', /reset/i, /drained/],
    ['DPE', /not valid HTTP/i, /port/],
  ])('%s: what it means and the likely cause in an Istio mesh', (flag, meaning, cause) => {
    const explained = explainFlag(flag);
    expect(explained.flag).toBe(flag);
    expect(explained.meaning).toMatch(meaning);
    expect(explained.likelyCause).toMatch(cause);
  });

  it("accepts Envoy's long names too", () => {
    expect(explainFlag('NoHealthyUpstream')).toEqual({ ...explainFlag('UH'), flag: 'NoHealthyUpstream' });
  });

  it('gives a generic answer for a flag it does not know, never an error', () => {
    for (const flag of ['XYZ', '', 'toString', '__proto__', 'uf']) {
      const explained = explainFlag(flag);
      expect(explained.flag).toBe(flag);
      expect(explained.meaning).toMatch(/Unknown response flag/);
      expect(explained.likelyCause).toMatch(/response code details/);
    }
  });
});
