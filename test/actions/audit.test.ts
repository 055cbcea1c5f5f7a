import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { appendAudit, AuditError, auditLogPath, auditRecord, auditUser, type AuditEntry } from '../../source/actions/audit.js';

const scratch = mkdtempSync(join(tmpdir(), 'meshdeck-audit-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
const stateHome = () => join(scratch, `state-${++counter}`);
const entry = (extra: Partial<AuditEntry> = {}): AuditEntry => ({ user: 'admin@east', context: 'east', object: 'secret istio-system/cacerts', verb: 'create', outcome: 'success', ...extra });
const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>);

describe('auditLogPath', () => {
  it.each([
    ['XDG_STATE_HOME', { XDG_STATE_HOME: '/var/state', HOME: '/home/sre' }, '/var/state/meshdeck/audit.log'],
    ['the default ~/.local/state', { HOME: '/home/sre' }, '/home/sre/.local/state/meshdeck/audit.log'],
    ['a relative XDG_STATE_HOME is ignored (XDG spec)', { XDG_STATE_HOME: 'state', HOME: '/home/sre' }, '/home/sre/.local/state/meshdeck/audit.log'],
    ['an empty XDG_STATE_HOME is ignored', { XDG_STATE_HOME: '', HOME: '/home/sre' }, '/home/sre/.local/state/meshdeck/audit.log'],
  ])('%s', (_name, env, path) => {
    expect(auditLogPath(env)).toBe(path);
  });
});

describe('appendAudit', () => {
  it('appends one JSON object per line: time, user, context, object, verb, outcome (and a message)', async () => {
    const env = { XDG_STATE_HOME: stateHome() };
    const path = await appendAudit(entry({ time: new Date('2026-03-01T10:00:00Z') }), { env });
    await appendAudit(entry({ verb: 'restart', object: 'deployment istio-system/istiod', outcome: 'failure', message: 'HTTP 409 Conflict: the object has been modified', time: '2026-03-01T10:00:05.000Z' }), { env });
    expect(path).toBe(join(env.XDG_STATE_HOME, 'meshdeck', 'audit.log'));
    const text = readFileSync(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')[0]).toBe('{"time":"2026-03-01T10:00:00.000Z","user":"admin@east","context":"east","object":"secret istio-system/cacerts","verb":"create","outcome":"success"}');
    expect(lines(path)[1]).toEqual({ time: '2026-03-01T10:00:05.000Z', user: 'admin@east', context: 'east', object: 'deployment istio-system/istiod', verb: 'restart', outcome: 'failure', message: 'HTTP 409 Conflict: the object has been modified' });
  });

  it('creates the file 0600 in a 0700 directory, and narrows an existing file that others could read', async () => {
    const env = { XDG_STATE_HOME: stateHome() };
    const path = await appendAudit(entry(), { env });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
    chmodSync(path, 0o644);
    await appendAudit(entry(), { env });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(lines(path)).toHaveLength(2);
  });

  it('stamps the time when none is given', async () => {
    const before = Date.now();
    const path = await appendAudit(entry(), { env: { XDG_STATE_HOME: stateHome() } });
    const time = Date.parse(lines(path)[0]!['time']!);
    expect(time).toBeGreaterThanOrEqual(before - 1);
    expect(time).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('keeps lines whole when many changes are recorded at once (one write per line, O_APPEND)', async () => {
    const env = { XDG_STATE_HOME: stateHome() };
    const long = 'x'.repeat(900);
    await Promise.all(Array.from({ length: 60 }, (_, i) => appendAudit(entry({ object: `secret ns-${i}/cacerts`, message: long }), { env })));
    const written = lines(auditLogPath(env));
    expect(written).toHaveLength(60);
    expect(new Set(written.map((l) => l['object'])).size).toBe(60);
  });

  it('refuses to follow a symbolic link put in place of the log, and says so in one line', async () => {
    const home = stateHome();
    mkdirSync(join(home, 'meshdeck'), { recursive: true });
    const target = join(scratch, `elsewhere-${counter}`);
    writeFileSync(target, '');
    symlinkSync(target, join(home, 'meshdeck', 'audit.log'));
    const error = await appendAudit(entry(), { env: { XDG_STATE_HOME: home } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditError);
    expect((error as Error).message).toBe(`the audit log ${join(home, 'meshdeck', 'audit.log')} is a symbolic link; meshdeck does not follow it: remove it`);
    expect(readFileSync(target, 'utf8')).toBe('');
  });

  it('a directory it cannot write is an AuditError naming the file', async () => {
    const home = stateHome();
    mkdirSync(join(home, 'meshdeck'), { recursive: true });
    chmodSync(join(home, 'meshdeck'), 0o500);
    try {
      const error = await appendAudit(entry(), { env: { XDG_STATE_HOME: home } }).catch((e: unknown) => e);
      // root may write anyway; everyone else gets the error.
      if (process.getuid?.() !== 0) {
        expect(error).toBeInstanceOf(AuditError);
        expect((error as Error).message).toMatch(/^cannot open the audit log .*audit\.log \(EACCES\); set XDG_STATE_HOME to a writable directory$/);
      }
    } finally {
      chmodSync(join(home, 'meshdeck'), 0o700);
    }
  });
});

describe('auditRecord: never a secret, always one line of strings', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const token = randomBytes(24).toString('base64url');

  it('removes PEM blocks, bearer tokens and random-looking runs from the message; keeps names and fingerprints', () => {
    const record = auditRecord(
      entry({
        outcome: 'failure',
        message: `apply failed: Authorization: Bearer ${token}; body ${keyPem} ; token=${token}; sa token eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.${token}; root 63:72:7A:17:85:CA:B4:7A on istio-ingressgateway-6d66677d95-4hd8l`,
      }),
    );
    const text = JSON.stringify(record);
    expect(text).not.toContain(token);
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain('eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ');
    expect(record['message']).toContain('Bearer [redacted]');
    expect(record['message']).toContain('[PEM redacted]');
    expect(record['message']).toContain('63:72:7A:17:85:CA:B4:7A');
    expect(record['message']).toContain('istio-ingressgateway-6d66677d95-4hd8l');
  });

  it('keeps kubeconfig user and context names as they are (EKS ARNs, AKS users)', () => {
    const record = auditRecord(entry({ user: 'clusterUser_rg-prod_AKSCluster01', context: 'arn:aws:eks:eu-west-1:123456789012:cluster/Prod2' }));
    expect(record['user']).toBe('clusterUser_rg-prod_AKSCluster01');
    expect(record['context']).toBe('arn:aws:eks:eu-west-1:123456789012:cluster/Prod2');
  });

  it('any input gives one line with exactly the six fields (and a message when given)', () => {
    fc.assert(
      fc.property(fc.record({ user: fc.string(), context: fc.string(), object: fc.string(), verb: fc.string(), outcome: fc.constantFrom('success' as const, 'failure' as const), message: fc.option(fc.string({ unit: 'binary' }), { nil: undefined }) }), (input) => {
        const record = auditRecord(input);
        const line = JSON.stringify(record);
        expect(line).not.toMatch(/[\n\r]/);
        expect(Object.keys(record).slice(0, 6)).toEqual(['time', 'user', 'context', 'object', 'verb', 'outcome']);
        for (const value of Object.values(record)) {
          expect(typeof value).toBe('string');
          // eslint-disable-next-line no-control-regex
          expect(value).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
          expect(value.length).toBeLessThanOrEqual(1_000);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('auditUser is the context’s kubeconfig user', () => {
    expect(auditUser({ user: { name: 'admin@east' } })).toBe('admin@east');
    expect(auditUser({ user: { name: '' } })).toBe('');
  });
});
