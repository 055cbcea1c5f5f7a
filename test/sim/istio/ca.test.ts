import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeIntermediateCa, makeRootCa, makeSelfSignedIstiodCa } from '../../../source/sim/istio/ca.js';
import { loadPluggedCa, loadSelfSignedCa } from '../../../source/sim/istio/ca-loading.js';
import { ISTIO_SAMPLE_CA } from '../../../source/sim/istio/sample-ca.js';
import { cacertsSecret } from '../../../source/sim/istio/install.js';
import type { KubeObject } from '../../../source/sim/objects.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('CAs made and loaded the way Istio does', () => {
  const root = makeRootCa();
  const east = makeIntermediateCa(root, 'east');

  it("makes a root and per-cluster intermediates with tools/certs' names, and the cacerts layout", () => {
    const rootCert = new X509Certificate(root.certPem);
    const intermediate = new X509Certificate(east.caCertPem);
    expect(rootCert.subject).toBe('O=Istio\nCN=Root CA');
    expect(intermediate.subject).toBe('O=Istio\nCN=Intermediate CA\nL=east');
    expect(intermediate.ca).toBe(true);
    expect(intermediate.subjectAltName).toBe('DNS:istiod.istio-system.svc');
    expect(intermediate.verify(rootCert.publicKey)).toBe(true);
    expect(east.certChainPem).toBe(east.caCertPem + root.certPem);
    expect(east.rootCertPem).toBe(root.certPem);
    expect(east.caCertPem).not.toContain('\r');
  });

  it('loads a cacerts secret, naming the root its certificate chains to', () => {
    const loaded = loadPluggedCa(cacertsSecret(east));
    expect(loaded).toMatchObject({ ca: { source: 'cacerts', bundlePem: root.certPem, issuerRootName: 'Root CA' } });
    const sample = loadPluggedCa(cacertsSecret(ISTIO_SAMPLE_CA));
    expect(sample).toMatchObject({ ca: { issuerRootName: 'Root CA', bundlePem: ISTIO_SAMPLE_CA.rootCertPem } });
    expect('ca' in sample && sample.ca.issuerRoot).toBe(new X509Certificate(ISTIO_SAMPLE_CA.rootCertPem).fingerprint256);
  });

  it.each<[string, (secret: KubeObject) => void, RegExp]>([
    ['a missing key', (s) => delete (s['data'] as Record<string, string>)['ca-key.pem'], /ca-key\.pem is missing/],
    ['a key of another certificate', (s) => ((s['data'] as Record<string, string>)['ca-key.pem'] = b64(makeSelfSignedIstiodCa('cluster.local').keyPem)), /does not match the key/],
    ['a root that did not sign it', (s) => ((s['data'] as Record<string, string>)['root-cert.pem'] = b64(makeRootCa().certPem)), /x509: certificate signed by unknown authority/],
  ])('refuses %s, as istiod refuses to start', (_name, spoil, message) => {
    const secret = cacertsSecret(east);
    spoil(secret);
    const loaded = loadPluggedCa(secret);
    expect('error' in loaded && loaded.error).toMatch(message);
  });

  it("loads istiod's own self-signed root (O=<trust domain>) from istio-ca-secret", () => {
    const own = makeSelfSignedIstiodCa('cluster.local');
    expect(new X509Certificate(own.certPem).subject).toBe('O=cluster.local');
    const loaded = loadSelfSignedCa({ metadata: { name: 'istio-ca-secret' }, data: { 'ca-cert.pem': b64(own.certPem), 'ca-key.pem': b64(own.keyPem), 'cert-chain.pem': '', 'root-cert.pem': '' } });
    expect(loaded).toMatchObject({ ca: { source: 'istio-ca-secret', bundlePem: own.certPem, issuerRootName: 'cluster.local' } });
  });
});
