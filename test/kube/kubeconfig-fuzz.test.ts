import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeconfigError, loadKubeconfig, selectContexts, singleContextYaml, type ContextEntry } from '../../source/kube/kubeconfig.js';
import { MeshSession } from '../../source/kube/mesh-session.js';
import { ClusterTransport } from '../../source/kube/transport.js';
import { KubeRequestError } from '../../source/kube/errors.js';
import { deriveClusterRow } from '../../source/mesh/clusters.js';
import { startTestSim, waitFor, type TestSim } from '../helpers/sim.js';

const root = mkdtempSync(join(tmpdir(), 'meshdeck-kubeconfig-fuzz-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
function file(text: string): string {
  const path = join(root, `config-${++counter}.yaml`);
  writeFileSync(path, text);
  return path;
}

const oneLine = (text: string | undefined) => text === undefined || !/[\r\n]/.test(text);

/**
 * What a kubeconfig must never do to meshdeck: loading and selecting either work or fail with a
 * one-line KubeconfigError; every context that loads becomes a cluster session without throwing,
 * whose row names any problem in one line.
 */
function checkKubeconfigText(text: string): void {
  let contexts: ContextEntry[];
  // The YAML reader's warnings would print several lines to the terminal (Node prints process warnings).
  const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
  try {
    contexts = selectContexts(loadKubeconfig([file(text)]), undefined);
  } catch (error) {
    if (!(error instanceof KubeconfigError)) throw error;
    expect(oneLine(error.message), error.message).toBe(true);
    return;
  } finally {
    expect(warnings.mock.calls.map((c) => String(c[0]))).toEqual([]);
    warnings.mockRestore();
  }
  for (const context of contexts) {
    expect(() => parse(singleContextYaml(context))).not.toThrow();
    const session = new MeshSession([context]);
    const [snapshot] = session.snapshot();
    expect(snapshot!.name).toBe(context.name);
    expect(oneLine(snapshot!.error), snapshot!.error).toBe(true);
    const row = deriveClusterRow(snapshot!, Date.now());
    expect(oneLine(row.problem), row.problem).toBe(true);
    session.stop();
  }
}

// Values of every type, for fields that should hold something else.
const junk = fc.oneof(
  { depthSize: 'small' },
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), { maxKeys: 3 }),
);
const names = fc.constantFrom('east', 'west', 'c', '');
const name = fc.oneof(names, names, junk);
const maybe = <T,>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const server = fc.oneof(fc.constantFrom('https://127.0.0.1:1', 'http://127.0.0.1:1', 'https://east.example:6443/', 'https://[::1]:6443', 'ftp://x', 'https://', 'https://a b'), fc.webUrl(), junk);

const clusterEntry = fc.record(
  {
    name,
    cluster: fc.oneof(
      junk,
      fc.record(
        {
          server,
          'certificate-authority-data': fc.oneof(fc.base64String({ maxLength: 16 }), junk),
          'certificate-authority': fc.oneof(fc.constantFrom('ca.crt', '/nonexistent/ca.crt'), junk),
          'insecure-skip-tls-verify': fc.oneof(fc.boolean(), junk),
          'tls-server-name': junk,
          'proxy-url': fc.oneof(fc.constantFrom('socks5://127.0.0.1:1', 'http://127.0.0.1:1'), junk),
        },
        { requiredKeys: ['server'] },
      ),
    ),
  },
  { requiredKeys: [] },
);

const exec = fc.record(
  {
    apiVersion: fc.oneof(fc.constantFrom('client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1', 'client.authentication.k8s.io/v1alpha1'), junk),
    command: fc.oneof(fc.constantFrom('/bin/false', 'no-such-plugin', './relative/plugin', 'gke-gcloud-auth-plugin'), junk),
    args: junk,
    env: fc.oneof(fc.array(fc.record({ name: junk, value: junk }), { maxLength: 2 }), junk),
    interactiveMode: fc.oneof(fc.constantFrom('Never', 'IfAvailable', 'Always'), junk),
    provideClusterInfo: junk,
  },
  { requiredKeys: [] },
);

const user = fc.record(
  {
    name,
    user: fc.oneof(
      junk,
      fc.record(
        {
          token: junk,
          tokenFile: junk,
          // client-node reads this (kubectl does not) when the kubeconfig is loaded.
          'token-file': fc.oneof(fc.constantFrom('/nonexistent/token', '.', ''), junk),
          'client-certificate-data': fc.oneof(fc.base64String({ maxLength: 16 }), junk),
          'client-key-data': fc.oneof(fc.base64String({ maxLength: 16 }), junk),
          'client-certificate': junk,
          'client-key': junk,
          username: junk,
          password: junk,
          as: junk,
          exec: fc.oneof(exec, junk),
          'auth-provider': fc.oneof(fc.record({ name: fc.oneof(fc.constantFrom('gcp', 'azure', 'oidc', 'weird'), junk), config: junk }, { requiredKeys: [] }), junk),
          // A YAML merge key: meshdeck's YAML reader keeps it as a key, client-node's reader merges it.
          '<<': junk,
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

const contextEntry = fc.record({ name, context: fc.oneof(junk, fc.record({ cluster: name, user: name, namespace: junk }, { requiredKeys: [] })) }, { requiredKeys: [] });

const kubeconfigDoc = fc.record(
  {
    apiVersion: fc.oneof(fc.constant('v1'), junk),
    kind: fc.oneof(fc.constant('Config'), junk),
    'current-context': name,
    clusters: fc.oneof(fc.array(clusterEntry, { maxLength: 3 }), fc.array(clusterEntry, { maxLength: 3 }), junk),
    users: fc.oneof(fc.array(user, { maxLength: 3 }), fc.array(user, { maxLength: 3 }), junk),
    contexts: fc.oneof(fc.array(contextEntry, { maxLength: 3 }), fc.array(contextEntry, { maxLength: 3 }), junk),
    preferences: junk,
  },
  { requiredKeys: [] },
);

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'remote-secret');
/** The kubeconfigs inside remote secrets in REMOTE-SECRET.md (istioctl's golden output; Istio's exec-auth test). */
const FROM_REMOTE_SECRET_MD = [...readFileSync(join(fixtures, 'REMOTE-SECRET.md'), 'utf8').matchAll(/stringData:\n {2}\S+: \|\n((?: {4}.*\n)+)/g)].map((m) =>
  m[1]!.replace(/^ {4}/gm, '').replaceAll('%[1]s', 'primary').replaceAll('%[4]s', 'https://192.0.2.10:6443'),
);
/** Real kubeconfigs: the ones Istio's sources embed in remote secrets. */
const REAL_KUBECONFIGS = [(parse(readFileSync(join(fixtures, 'multicluster-unknown-serviceregistry.yaml'), 'utf8')) as { stringData: Record<string, string> }).stringData['istio-remote']!, ...FROM_REMOTE_SECRET_MD];

describe('kubeconfig: no input makes meshdeck throw anything but a one-line KubeconfigError', () => {
  it('real kubeconfigs load (or are refused in one line), and each context becomes a cluster session', () => {
    expect(REAL_KUBECONFIGS).toHaveLength(4);
    // istioctl's golden output has `server: server`, which is no URL.
    expect(() => selectContexts(loadKubeconfig([file(REAL_KUBECONFIGS[1]!)]), undefined)).toThrow('cluster "primary" in');
    for (const text of REAL_KUBECONFIGS) checkKubeconfigText(text);
    expect(selectContexts(loadKubeconfig([file(REAL_KUBECONFIGS[3]!)]), undefined).map((c) => c.name)).toEqual(['bad']);
  });

  it('documents with missing fields and fields of the wrong type', () => {
    fc.assert(
      fc.property(kubeconfigDoc, (doc) => checkKubeconfigText(stringify(doc))),
      { numRuns: 400 },
    );
  });

  it('real kubeconfigs cut short, with lines dropped, or with bytes changed', () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(':', '- ', '  ', '\t', '"', "'", '{', '[', '&a', '*a', '!!binary ', '<<: *a', '\n', '#'), fc.string({ maxLength: 4 })) }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...REAL_KUBECONFIGS), fc.array(edit, { minLength: 1, maxLength: 4 }), (text, edits) => {
        let mangled = text;
        for (const e of edits) {
          const at = e.at % (mangled.length + 1);
          if (e.kind === 'cut') mangled = mangled.slice(0, at);
          else if (e.kind === 'insert') mangled = mangled.slice(0, at) + e.text + mangled.slice(at);
          else {
            const lines = mangled.split('\n');
            lines.splice(e.at % Math.max(1, lines.length), 1);
            mangled = lines.join('\n');
          }
        }
        checkKubeconfigText(mangled);
      }),
      { numRuns: 400 },
    );
  });

  it.each([
    ['a context without a user (no credentials)', 'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\ncontexts: [{name: c, context: {cluster: c}}]\n', undefined],
    ['a user with an unreadable token-file (client-node reads it on load)', 'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token-file: /nonexistent/token}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\n', /^the kubeconfig entry cannot be used: ENOENT/],
    ['a YAML merge key in a user (client-node cannot read it back)', 'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {"<<": 5}}]\ncontexts: [{name: c, context: {cluster: c, user: u}}]\n', /^the kubeconfig entry cannot be used: cannot merge mappings/],
    ['a context whose user is a mapping', 'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\ncontexts: [{name: c, context: {cluster: c, user: {a: 1}, namespace: 7}}]\n', undefined],
  ])('%s: the cluster is down with the reason, or simply connecting; nothing throws', async (_name, text, reason) => {
    const [context] = loadKubeconfig([file(text)]).contexts;
    const session = await MeshSession.open([context!]);
    const [snapshot] = session.snapshot();
    session.stop();
    if (reason) {
      expect(snapshot).toMatchObject({ name: 'c', state: 'down' });
      expect(snapshot!.error).toMatch(reason);
      expect(deriveClusterRow(snapshot!, Date.now()).problem).toMatch(reason);
    } else {
      expect(snapshot).toMatchObject({ name: 'c', state: 'connecting' });
    }
    expect(context!.namespace).toBeUndefined();
  });

  it('a broken context does not keep the others from opening (only that cluster is down)', () => {
    const text = [
      'clusters: [{name: good, cluster: {server: "https://127.0.0.1:1"}}, {name: bad, cluster: {server: "https://127.0.0.1:2"}}]',
      'users: [{name: good, user: {token: abc}}, {name: bad, user: {token-file: /nonexistent/token}}]',
      'contexts: [{name: good, context: {cluster: good, user: good}}, {name: bad, context: {cluster: bad, user: bad}}]',
      '',
    ].join('\n');
    const session = new MeshSession(loadKubeconfig([file(text)]).contexts);
    const [good, bad] = session.snapshot();
    session.stop();
    expect(good).toMatchObject({ name: 'good', state: 'connecting' });
    expect(bad).toMatchObject({ name: 'bad', state: 'down', server: 'https://127.0.0.1:2' });
    expect(session.clusters[1]!.settlement()).toBe('settled');
  });
});

describe('kubeconfig credentials that fail when meshdeck connects: one line on the cluster row, the other clusters fine', () => {
  let t: TestSim;
  let session: MeshSession | undefined;
  const plugins = join(root, 'plugins');

  beforeAll(async () => {
    t = await startTestSim({ clusters: 1, podsPerCluster: 2 });
    mkdirSync(plugins, { recursive: true });
    const script = (scriptName: string, body: string, mode = 0o755) => {
      const path = join(plugins, scriptName);
      writeFileSync(path, `#!/bin/sh\n${body}\n`);
      chmodSync(path, mode);
      return path;
    };
    script('fails-loudly', 'echo "error: failed to get token: the refresh token has expired" >&2\necho "please run: cloud auth login" >&2\nexit 1');
    script('fails-quietly', 'exit 1');
    script('prints-garbage', 'echo "Opening browser for login..."');
    script('prints-no-status', `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"}'`);
    script('not-executable', 'exit 0', 0o644);
    script('good', `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${t.sim.cluster('east').adminToken}"}}'`);
  });
  afterAll(async () => {
    await t?.stop();
  });
  afterEach(() => {
    session?.stop();
    session = undefined;
    vi.useRealTimers();
  });

  /** The simulator's kubeconfig with one extra context per user given, all pointing at east. */
  function kubeconfigWith(users: Record<string, object>): string {
    const doc = parse(t.sim.kubeconfig()) as { clusters: { name: string }[]; users: object[]; contexts: object[] };
    for (const [userName, entry] of Object.entries(users)) {
      doc.users.push({ name: userName, user: entry });
      doc.contexts.push({ name: userName, context: { cluster: doc.clusters[0]!.name, user: userName } });
    }
    return file(stringify(doc));
  }
  const exec = (command: string) => ({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command, interactiveMode: 'Never' } });

  it('shows each failing credential as a one-line reason, and a working exec plugin connects', async () => {
    const path = kubeconfigWith({
      'fails-loudly': exec(join(plugins, 'fails-loudly')),
      'fails-quietly': exec(join(plugins, 'fails-quietly')),
      'prints-garbage': exec(join(plugins, 'prints-garbage')),
      'prints-no-status': exec(join(plugins, 'prints-no-status')),
      'not-executable': exec(join(plugins, 'not-executable')),
      'not-installed': exec('meshdeck-test-no-such-plugin'),
      'gcp-provider': { 'auth-provider': { name: 'gcp', config: { 'cmd-path': join(plugins, 'good'), 'cmd-args': 'config config-helper', 'token-key': '{.status.token}' } } },
      'unknown-provider': { 'auth-provider': { name: 'my-company-sso', config: { 'client-id': 'x' } } },
      'missing-cert-file': { 'client-certificate': join(root, 'nope', 'client.crt'), 'client-key': join(root, 'nope', 'client.key') },
      'exec-ok': exec(join(plugins, 'good')),
      // The user of the remote secret in Istio's exec-auth integration test (REMOTE-SECRET.md), verbatim.
      'istio-bad': (parse(REAL_KUBECONFIGS[3]!) as { users: { user: object }[] }).users[0]!.user,
    });
    session = new MeshSession(loadKubeconfig([path]).contexts, { frameMs: 20 });
    session.start();
    const expected: Record<string, RegExp> = {
      'fails-loudly': /^the credential plugin ".*fails-loudly" failed: error: failed to get token: the refresh token has expired$/,
      'fails-quietly': /^the credential plugin ".*fails-quietly" failed without saying why$/,
      'prints-garbage': /^the credential plugin ".*prints-garbage" printed something that is not an ExecCredential$/,
      'prints-no-status': /^the credential plugin ".*prints-no-status" failed: /,
      'not-executable': /^the credential plugin ".*not-executable" cannot be run \(permission denied\)$/,
      'not-installed': /^the credential plugin "meshdeck-test-no-such-plugin" was not found; install it or fix users\[\]\.exec\.command in the kubeconfig$/,
      'gcp-provider': /^the kubeconfig's auth-provider "gcp" was removed from Kubernetes clients \(kubectl 1\.26\+\); switch the user to the gke-gcloud-auth-plugin exec plugin$/,
      'unknown-provider': /^unauthorized: the credentials in the kubeconfig were refused$/,
      'missing-cert-file': /^cannot read .*nope\/client\.crt named in the kubeconfig \(no such file\)$/,
      'istio-bad': /^the credential plugin "\/bin\/sh" failed: .*hello: not found$/,
    };
    const snapshots = await waitFor(() => {
      const all = session!.snapshot();
      const settled = all.every((s) => (s.name in expected ? s.state === 'down' && s.error : s.state === 'synced'));
      return settled && all;
    }, 'every failing context down with its reason, the others synced', 20_000);
    for (const snapshot of snapshots) {
      const row = deriveClusterRow(snapshot, Date.now());
      if (snapshot.name in expected) {
        expect(snapshot.error, snapshot.name).toMatch(expected[snapshot.name]!);
        expect(row.problem, snapshot.name).toMatch(/^.+, retry in \d+s$/);
        expect(oneLine(row.problem)).toBe(true);
      } else {
        expect(row.problem, snapshot.name).toBeUndefined();
      }
    }
    expect(snapshots.find((s) => s.name === 'exec-ok')!.kinds.pods.items.size).toBeGreaterThan(0);
  });

  it('an exec plugin that never answers fails after 30 s with that reason instead of hanging', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const config = new KubeConfig();
    config.loadFromString(singleContextYaml(loadKubeconfig([kubeconfigWith({ hangs: exec('/bin/sleep') })]).contexts.find((c) => c.name === 'hangs')!));
    // `sleep` without an argument exits at once with an error; give it one through args.
    (config.getCurrentUser()!.exec as { args: string[] }).args = ['5'];
    const transport = new ClusterTransport(config);
    const request = transport.request('/version').then(
      () => undefined,
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(30_001);
    const error = await request;
    expect(error).toBeInstanceOf(KubeRequestError);
    expect((error as Error).message).toBe('the credential plugin "/bin/sleep" did not answer within 30 s');
  });
});
