import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { planInstall, type CaLiveState, type InstallTarget, type LiveSecret } from '../../../source/actions/ca/index.js';
import { createIntermediateCa, createRootCa, type CacertsBundle } from '../../../source/pki/authority.js';
import { renderPlan, type ReviewablePlan } from '../../../source/actions/plan.js';

const SAMPLE_DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'istio-sample-certs');
const read = (file: string) => readFileSync(join(SAMPLE_DIR, file), 'utf8');
const SAMPLE: CacertsBundle = { caCertPem: read('ca-cert.pem'), caKeyPem: read('ca-key.pem'), certChainPem: read('cert-chain.pem'), rootCertPem: read('root-cert.pem') };
const SAMPLE_ROOT_FP = '63:72:7A:17:85:CA:B4:7A:CE:C5:C2:4C:C0:66:9C:20:82:4E:8A:E1:AC:28:07:9A:4D:2F:8C:83:05:92:E7:B0';
const NOW = new Date('2025-06-01T12:00:00Z');
const OPTIONS = { force: false, restart: true, backupDir: '/home/me/.cache/meshdeck/ca-backups', now: NOW };

function secret(bundle: CacertsBundle, extra: Partial<LiveSecret> = {}): LiveSecret {
  return {
    resourceVersion: '41',
    creationTimestamp: '2025-05-01T00:00:00Z',
    labels: {},
    annotations: {},
    data: { 'ca-cert.pem': bundle.caCertPem, 'ca-key.pem': bundle.caKeyPem, 'cert-chain.pem': bundle.certChainPem, 'root-cert.pem': bundle.rootCertPem },
    ...extra,
  };
}

/** A standalone primary as the fresh scenario leaves it: istiod's own root, no cacerts. */
function freshState(selfRootPem: string, extra: Partial<CaLiveState> = {}): CaLiveState {
  return {
    cluster: 'east',
    istioNamespace: true,
    selfSigned: { resourceVersion: '7', labels: {}, annotations: {}, data: { 'ca-cert.pem': selfRootPem, 'ca-key.pem': 'not shown' } },
    rootConfigMap: { resourceVersion: '9', rootCertPem: selfRootPem },
    istiods: [{ name: 'istiod', generation: 1, replicas: 1 }],
    istiodPods: [{ name: 'istiod-5d9c7b-abcde', createdAt: '2025-05-01T00:00:00Z', ready: true }],
    ...extra,
  };
}

const target = (bundle: CacertsBundle, live: CaLiveState): InstallTarget => ({ cluster: live.cluster, source: '/certs/east', bundle, live });

describe('planInstall: cacerts, istiod restart and verification as data', () => {
  let own: CacertsBundle;
  let ownRoot: string;

  beforeAll(async () => {
    const root = await createRootCa({ key: { type: 'ecdsa' }, now: NOW });
    ownRoot = root.certPem;
    own = await createIntermediateCa(root, { cluster: 'east', key: { type: 'ecdsa' }, now: NOW });
  });

  it('plans create, restart and verify for a cluster on its self-signed root, showing subjects and fingerprints only', async () => {
    const selfRoot = (await createRootCa({ key: { type: 'ecdsa' }, organization: 'cluster.local' })).certPem;
    const plan = planInstall([target(SAMPLE, freshState(selfRoot))], OPTIONS);
    expect(plan.blocked).toEqual([]);
    expect(plan.steps.map((s) => [s.id, s.verb, s.target, s.undoable])).toEqual([
      ['east/create-cacerts', 'create', 'secret istio-system/cacerts', true],
      ['east/restart-istiod', 'restart', 'deployment istio-system/istiod', false],
      ['east/verify-root', 'verify', 'configmap istio-system/istio-ca-root-cert', false],
    ]);
    expect(plan.steps[0]!.diff).toEqual([
      '+ ca-cert.pem: C=US, ST=California, L=Sunnyvale, O=Istio, CN=Istio CA (SHA-256 F8:67:17:4E…)',
      '+ ca-key.pem: RSA 2048, public key SHA-256 ' + plan.steps[0]!.after!.secret!.privateKey!.publicKeyFingerprint.split(':').slice(0, 4).join(':') + '… (contents never shown)',
      '+ cert-chain.pem: C=US, ST=California, L=Sunnyvale, O=Istio, CN=Istio CA (SHA-256 F8:67:17:4E…)',
      '+ root-cert.pem: C=US, ST=California, L=Sunnyvale, O=Istio, OU=Test, CN=Root CA, emailAddress=testrootca@istio.io (SHA-256 63:72:7A:17…)',
    ]);
    expect(plan.steps[2]!.after).toMatchObject({ root: { fingerprint: SAMPLE_ROOT_FP } });
    expect(plan.clusters).toEqual([expect.objectContaining({ cluster: 'east', source: '/certs/east', root: expect.objectContaining({ fingerprint: SAMPLE_ROOT_FP }) })]);
    expect(plan.notes.map((n) => n.message)).toEqual([
      "these are Istio's sample certificates: their private key is published, so they are not for production",
      'workloads keep their current certificates until these rotate (every 24 h by default) or the pods restart; then they get certificates from the new CA',
    ]);
    // The shape every plan shares, so the cockpit's review screen renders it as it is.
    const review: ReviewablePlan = plan;
    expect(renderPlan(review).slice(0, 4)).toEqual(['install cacerts in east', '', '1. [east] create secret istio-system/cacerts', `     ${plan.steps[0]!.diff[0]}`]);
    // Serialisable, and no key material anywhere in it.
    const json = JSON.stringify(plan);
    expect(JSON.parse(json)).toEqual(plan);
    expect(json).not.toMatch(/PRIVATE KEY|MIIE/);
  });

  it('without --restart, plans only the secret and says why istiod must restart', () => {
    const plan = planInstall([target(own, freshState(ownRoot))], { ...OPTIONS, restart: false });
    expect(plan.steps.map((s) => s.verb)).toEqual(['create']);
    expect(plan.notes.map((n) => n.message)[0]).toBe('istiod reads cacerts only when it starts: pass --restart (or run kubectl rollout restart deploy/istiod -n istio-system) so it loads the new CA');
  });

  it('refuses to replace a cacerts meshdeck did not create, unless forced; forced, it backs it up first', () => {
    const live = freshState(SAMPLE.rootCertPem, { cacerts: secret(SAMPLE) });
    const refused = planInstall([target(own, live)], OPTIONS);
    expect(refused.steps).toEqual([]);
    expect(refused.blocked).toEqual([
      { cluster: 'east', reason: 'secret istio-system/cacerts in east was not created by meshdeck (no label app.kubernetes.io/managed-by=meshdeck); pass --force to replace it (the old one is saved to a backup file first)' },
    ]);
    const forced = planInstall([target(own, live)], { ...OPTIONS, force: true });
    expect(forced.blocked).toEqual([]);
    expect(forced.steps.map((s) => [s.verb, s.target, s.precondition?.resourceVersion])).toEqual([
      ['backup', '/home/me/.cache/meshdeck/ca-backups/east/cacerts-2025-06-01T12-00-00-000Z.yaml', '41'],
      ['replace', 'secret istio-system/cacerts', '41'],
      ['restart', 'deployment istio-system/istiod', undefined],
      ['verify', 'configmap istio-system/istio-ca-root-cert', undefined],
    ]);
    const replace = forced.steps[1]!;
    expect(replace.before?.summary).toBe('plugged-in CA (not made by meshdeck) under root C=US, ST=California, L=Sunnyvale, O=Istio, OU=Test, CN=Root CA, emailAddress=testrootca@istio.io (SHA-256 63:72:7A:17…)');
    expect(replace.diff.map((line) => line.split(':')[0])).toEqual(['~ ca-cert.pem', '~ ca-key.pem', '~ cert-chain.pem', '~ root-cert.pem']);
    expect(replace.diff[1]).toMatch(/^~ ca-key\.pem: RSA 2048 [0-9A-F:]+… → ECDSA P-256 [0-9A-F:]+… \(contents never shown\)$/);
  });

  it('replaces a cacerts meshdeck made without --force (still with a backup)', () => {
    const live = freshState(SAMPLE.rootCertPem, { cacerts: secret(SAMPLE, { labels: { 'app.kubernetes.io/managed-by': 'meshdeck' } }) });
    expect(planInstall([target(own, live)], OPTIONS).steps.map((s) => s.verb)).toEqual(['backup', 'replace', 'restart', 'verify']);
  });

  it('plans nothing once the cluster has the CA and istiod distributes its root (idempotent)', () => {
    const installed = secret(own, { labels: { 'app.kubernetes.io/managed-by': 'meshdeck' }, annotations: { 'meshdeck.io/installed-at': '2025-06-01T12:00:00.400Z' } });
    const done = freshState(ownRoot, { cacerts: installed, istiodPods: [{ name: 'istiod-new', createdAt: '2025-06-01T12:00:00Z', ready: true }] });
    const plan = planInstall([target(own, done)], OPTIONS);
    expect(plan.steps).toEqual([]);
    expect(plan.blocked).toEqual([]);
    expect(plan.notes).toEqual([]);
    // The same secret, but the running istiod started before it was written: only the restart is left.
    const stale = { ...done, istiodPods: [{ name: 'istiod-old', createdAt: '2025-06-01T11:59:59Z', ready: true }] };
    expect(planInstall([target(own, stale)], OPTIONS).steps.map((s) => s.verb)).toEqual(['restart', 'verify']);
    // Or istiod still distributes another root.
    expect(planInstall([target(own, { ...done, rootConfigMap: { resourceVersion: '1', rootCertPem: SAMPLE.rootCertPem } })], OPTIONS).steps.map((s) => s.verb)).toEqual(['restart', 'verify']);
  });

  it('blocks a cluster without istio-system, a cacerts it may not read, and files that fail the checks', () => {
    const none: CaLiveState = { cluster: 'west', istioNamespace: false, istiods: [], istiodPods: [] };
    expect(planInstall([target(own, none)], OPTIONS).blocked).toEqual([{ cluster: 'west', reason: 'west has no istio-system namespace: install Istio first (istioctl install), then install the CA' }]);
    const forbidden = freshState(ownRoot, { cacerts: 'forbidden' });
    expect(planInstall([target(own, forbidden)], OPTIONS).blocked[0]!.reason).toBe('cannot read secret istio-system/cacerts in east (forbidden); meshdeck needs get, create and update on secrets in istio-system');
    const mismatched = { ...own, caKeyPem: SAMPLE.caKeyPem };
    expect(planInstall([target(mismatched, freshState(ownRoot))], OPTIONS).blocked[0]!.reason).toMatch(/^\/certs\/east\/ca-key\.pem: does not match ca-cert\.pem/);
  });

  it('plans no restart in a remote cluster (no istiod) and says so', () => {
    const remote = freshState(ownRoot, { cluster: 'west', istiods: [], istiodPods: [], selfSigned: undefined });
    const plan = planInstall([target(own, remote)], OPTIONS);
    expect(plan.steps.map((s) => s.verb)).toEqual(['create']);
    expect(plan.notes[0]!.message).toBe("west runs no istiod (a remote cluster?): nothing to restart; its primary's istiod issues its workloads' certificates");
  });
});
