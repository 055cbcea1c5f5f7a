import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestOptions } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startTestSim, type TestSim } from '../helpers/sim.js';
import { loadKubeconfig, type ContextEntry } from '../../source/kube/kubeconfig.js';
import { contextCredentials, needsClientNode, PlainCredentials } from '../../source/kube/context-credentials.js';
import { ClusterTransport } from '../../source/kube/transport.js';
import { KubeRequestError } from '../../source/kube/errors.js';

const entry = (user: Record<string, unknown>, cluster: Record<string, unknown> = { server: 'https://127.0.0.1:1' }, baseDir = '/nowhere'): ContextEntry => ({
  name: 'c',
  cluster: { name: 'c', cluster },
  user: { name: 'u', user },
  baseDir,
});

describe('which contexts need client-node', () => {
  it.each([
    ['a token', { token: 't' }, false],
    ['a token file', { tokenFile: '/t' }, false],
    ['a client certificate', { 'client-certificate-data': 'eA==', 'client-key-data': 'eA==' }, false],
    ['user name and password', { username: 'a', password: 'b' }, false],
    ['no credentials', {}, false],
    ['an exec plugin (the transport runs it)', { exec: { command: 'aws' } }, false],
    ['an auth provider', { 'auth-provider': { name: 'oidc' } }, true],
    ['impersonation', { token: 't', as: 'admin' }, true],
  ])('%s: %s', (_what, user, expected) => {
    expect(needsClientNode(entry(user))).toBe(expected);
  });

  it('a cluster behind a proxy needs it too', () => {
    expect(needsClientNode(entry({ token: 't' }, { server: 'https://x', 'proxy-url': 'http://proxy:3128' }))).toBe(true);
  });
});

describe('plain credentials', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshdeck-creds-'));

  it('reads a token file again each time, so a rotated token is used', async () => {
    writeFileSync(join(dir, 'token'), 'first\n');
    const credentials = new PlainCredentials(entry({ tokenFile: 'token' }, { server: 'https://x' }, dir));
    const options: RequestOptions = { headers: {} };
    await credentials.applyToHTTPSOptions(options);
    expect((options.headers as Record<string, string>)['Authorization']).toBe('Bearer first');
    writeFileSync(join(dir, 'token'), 'second\n');
    await credentials.applyToHTTPSOptions(options);
    expect((options.headers as Record<string, string>)['Authorization']).toBe('Bearer second');
  });

  it('loads client certificate, key and CA from files relative to their kubeconfig, and honours insecure-skip-tls-verify', async () => {
    writeFileSync(join(dir, 'cert.pem'), 'CERT');
    writeFileSync(join(dir, 'key.pem'), 'KEY');
    writeFileSync(join(dir, 'ca.pem'), 'CA');
    const credentials = new PlainCredentials(entry({ 'client-certificate': 'cert.pem', 'client-key': 'key.pem' }, { server: 'https://x', 'certificate-authority': 'ca.pem', 'insecure-skip-tls-verify': true, 'tls-server-name': 'api.internal' }, dir));
    const options: RequestOptions = { headers: {} };
    await credentials.applyToHTTPSOptions(options);
    expect(String(options.cert)).toBe('CERT');
    expect(String(options.key)).toBe('KEY');
    expect(String(options.ca)).toBe('CA');
    expect(options.rejectUnauthorized).toBe(false);
    expect(options.servername).toBe('api.internal');
    expect((options.headers as Record<string, string>)['Authorization']).toBeUndefined();
  });

  it('an unreadable token file makes the context unusable, with the reason, without throwing', () => {
    const { setupError } = contextCredentials(entry({ 'token-file': '/nonexistent/meshdeck/token' }));
    expect(setupError).toMatch(/^the kubeconfig entry cannot be used: ENOENT/);
  });
});

describe('credentials against the simulator over HTTPS', () => {
  let sim: TestSim;
  let contexts: ContextEntry[];
  let dir: string;
  beforeAll(async () => {
    sim = await startTestSim({ clusters: 1, podsPerCluster: 0 });
    contexts = loadKubeconfig([sim.kubeconfigPath]).contexts;
    dir = mkdtempSync(join(tmpdir(), 'meshdeck-creds-sim-'));
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it("a token context talks to the API server with meshdeck's own TLS setup (no client-node)", async () => {
    const { config, setupError } = contextCredentials(contexts[0]!);
    expect(setupError).toBeUndefined();
    expect(config).toBeInstanceOf(PlainCredentials);
    const list = await new ClusterTransport(config).requestJson<{ items: unknown[] }>('/api/v1/namespaces');
    expect(list.items.length).toBeGreaterThan(0);
  });

  it('a wrong token is a 401 from the server, not a local failure', async () => {
    const wrong = { ...contexts[0]!, user: { name: 'u', user: { token: 'not-the-token' } } };
    const request = new ClusterTransport(contextCredentials(wrong).config).request('/api/v1/namespaces');
    await expect(request).rejects.toSatisfy((error) => error instanceof KubeRequestError && error.status === 401);
  });

  it('an exec plugin context runs without client-node: the transport runs the plugin, meshdeck sets up TLS', async () => {
    const doc = parse(readFileSync(sim.kubeconfigPath, 'utf8')) as { users: { user: Record<string, unknown> }[] };
    const token = String(doc.users[0]!.user['token']);
    const plugin = join(dir, 'plugin.sh');
    writeFileSync(plugin, `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${token}"}}'\n`);
    chmodSync(plugin, 0o700);
    const execContext = { ...contexts[0]!, user: { name: 'u', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } } } };
    const { config, setupError } = contextCredentials(execContext);
    expect(setupError).toBeUndefined();
    expect(config).toBeInstanceOf(PlainCredentials);
    const list = await new ClusterTransport(config).requestJson<{ items: unknown[] }>('/api/v1/namespaces');
    expect(list.items.length).toBeGreaterThan(0);
    expect(stringify(config.getCurrentUser())).toContain(plugin);
  });

  it.each(['tokenFile', 'token-file'])('a context that needs client-node with a %s sends the token in it, trimmed, read again on each refresh', async (key) => {
    const doc = parse(readFileSync(sim.kubeconfigPath, 'utf8')) as { users: { user: Record<string, unknown> }[] };
    // As `kubectl create token ... > token` writes it: with a newline.
    writeFileSync(join(dir, 'token'), `${String(doc.users[0]!.user['token'])}\n`);
    const context = { ...contexts[0]!, user: { name: 'u', baseDir: dir, user: { [key]: 'token', as: 'system:serviceaccount:default:nobody' } } };
    const { config, setupError } = contextCredentials(context);
    expect(setupError).toBeUndefined();
    expect(config).not.toBeInstanceOf(PlainCredentials);
    // Without the token the server answers 401; with it, the admin may impersonate, and the impersonated user is refused.
    const request = new ClusterTransport(config).request('/api/v1/secrets');
    await expect(request).rejects.toSatisfy((error) => error instanceof KubeRequestError && error.status === 403 && error.message.includes('system:serviceaccount:default:nobody'));
    writeFileSync(join(dir, 'token'), 'rotated\n');
    const options: RequestOptions = { headers: {} };
    await config.applyToHTTPSOptions(options);
    expect((options.headers as Record<string, string>)['Authorization']).toBe('Bearer rotated');
  });

  it('a context that needs client-node and whose token file is missing fails its requests with the reason', async () => {
    const context = { ...contexts[0]!, user: { name: 'u', baseDir: dir, user: { tokenFile: 'no-such-token', as: 'someone' } } };
    await expect(new ClusterTransport(contextCredentials(context).config).request('/api/v1/namespaces')).rejects.toThrow(/^the kubeconfig entry cannot be used: ENOENT/);
  });

  it('impersonation needs client-node: loaded on the first request, and the server sees the impersonated user', async () => {
    const impersonating = { ...contexts[0]!, user: { name: 'u', user: { ...(contexts[0]!.user['user'] as object), as: 'system:serviceaccount:default:nobody' } } };
    const { config, setupError } = contextCredentials(impersonating);
    expect(setupError).toBeUndefined();
    expect(config).not.toBeInstanceOf(PlainCredentials);
    const request = new ClusterTransport(config).request('/api/v1/secrets');
    await expect(request).rejects.toSatisfy((error) => error instanceof KubeRequestError && error.status === 403);
  });
});
