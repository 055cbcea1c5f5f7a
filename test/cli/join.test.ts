import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meshdeck, type Run } from '../helpers/run-cli.js';
import { joinWizardService } from '../../source/cli/join-wizard-service.js';
import { startTestSim, waitFor, type TestSim } from '../helpers/sim.js';
import { kubectl } from '../helpers/kubectl.js';
import { kubeconfigFiles, loadKubeconfig } from '../../source/kube/kubeconfig.js';
import { PlainCredentials } from '../../source/kube/context-credentials.js';
import { ClusterTransport } from '../../source/kube/transport.js';
import { readIstiodDebug } from '../../source/kube/istiod-debug.js';
import { apiRequest } from '../helpers/sim-http.js';

describe('meshdeck join / unjoin against the simulator, checked with kubectl', () => {
  let t: TestSim;
  let out: string;
  // Every run writes its audit log under the test's directory, never under the real home.
  let env: NodeJS.ProcessEnv;
  const auditLines = () => (existsSync(join(env['XDG_STATE_HOME']!, 'meshdeck', 'audit.log')) ? readFileSync(join(env['XDG_STATE_HOME']!, 'meshdeck', 'audit.log'), 'utf8').trim().split('\n') : []);
  const k = (...args: string[]) => kubectl(t.kubeconfigPath, args);
  const run = (command: string, ...args: string[]) => meshdeck([command, '--kubeconfig', t.kubeconfigPath, '--primary', 'east', '--remote', 'west', ...args], env);
  const join_ = (...args: string[]) => run('join', '--out', out, '--timeout', '20', ...args);
  // istiod's /debug as meshdeck reads it: through a port-forward to its pod (kubectl get --raw through the service proxy gets 401, as from a real istiod).
  const istiodDebug = <T>(path: string) => readIstiodDebug<T>(new ClusterTransport(new PlainCredentials(loadKubeconfig(kubeconfigFiles(t.kubeconfigPath, {})).contexts.find((c) => c.name === 'east')!)), path);

  beforeAll(async () => {
    t = await startTestSim({ scenario: 'fresh', clusters: 2, podsPerCluster: 0 });
    out = join(t.dir, 'files');
    env = { XDG_STATE_HOME: join(t.dir, 'state') };
  });
  afterAll(async () => {
    await t?.stop();
  });

  it.each([
    [['join', '--primary', 'east'], 'meshdeck: join needs --primary CONTEXT and --remote CONTEXT'],
    [['join', '--primary', 'east', '--remote', 'east'], 'meshdeck: --primary and --remote must be different contexts'],
    [['join', '--primary', 'east', '--remote', 'west', '--cluster-name', 'West_2'], 'meshdeck: --cluster-name must be a DNS-1123 label (lower-case letters, digits and \'-\', at most 63), got "West_2"'],
    [['join', '--primary', 'east', '--remote', 'west', '--remote-api-server', '10.0.0.5'], 'meshdeck: --remote-api-server must be a URL such as https://10.0.0.5:6443, got "10.0.0.5"'],
    [['unjoin', '--primary', 'east', '--remote', 'west', '--output', 'yaml'], 'meshdeck: --output must be text or json, got "yaml"'],
    [['unjoin', '--primary', 'east', '--remote', 'west', '--network', 'n2'], 'meshdeck: unknown flag --network'],
  ])('wrong usage %j: one line, exit code 2', async (args, message) => {
    const result = await meshdeck(args);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(message);
  });

  it('an unknown context: one line, exit code 1', async () => {
    const result = await meshdeck(['join', '--kubeconfig', t.kubeconfigPath, '--primary', 'east', '--remote', 'nowhere'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^meshdeck: .*nowhere.*\n$/);
  });

  it('refuses clusters with different roots, and points at meshdeck ca', async () => {
    const result = await join_('--apply');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/ {2}✗ fail {2}east and west do not share a root of trust .*meshdeck ca root, meshdeck ca intermediate, meshdeck ca install --restart/);
    expect(result.stdout).toContain('not applied: the plan is blocked (see above)');
    expect((await k('--context', 'east', '-n', 'istio-system', 'get', 'secret', 'istio-remote-secret-west')).code).not.toBe(0);
  });

  it('plans without changing anything once meshdeck ca gave both one root', async () => {
    const certs = join(t.dir, 'certs');
    expect((await meshdeck(['ca', 'root', '--out', certs, '--key-size', '2048'], env)).code).toBe(0);
    expect((await meshdeck(['ca', 'intermediate', '--root', certs, '--cluster', 'east,west', '--out', certs, '--key-size', '2048'], env)).code).toBe(0);
    const ca = await meshdeck(['ca', 'install', '--kubeconfig', t.kubeconfigPath, '--context', 'east,west', '--from', certs, '--apply', '--restart'], env);
    expect(ca.code, ca.stdout + ca.stderr).toBe(0);

    const plan = await join_();
    expect(plan.code, plan.stderr).toBe(0);
    const lines = plan.stdout.split('\n');
    expect(lines[0]).toBe('join west to east as remote cluster west');
    expect(lines[1]).toMatch(/^ {2}cluster name west · network network2 \(east: network1, multi-network\) · mesh ID mesh1 · API server https:\/\/127\.0\.0\.1:\d+$/);
    expect(plan.stdout).toContain('  ✓ pass  east and west share the root O=Istio, CN=Root CA');
    expect(plan.stdout).toMatch(/ {2}! warn {2}the remote API server address https:\/\/127\.0\.0\.1:\d+ is a loopback address/);
    expect(plan.stdout).toContain('     7. create   secret istio-system/istio-remote-secret-west\n         + # This file is autogenerated, do not edit.\n');
    expect(plan.stdout).toContain(`  istioctl install --context=west -f ${out}/west-remote-istiooperator.yaml\n`);
    expect(plan.stdout.trimEnd().split('\n').at(-1)).toBe('nothing changed yet: review the plan, then run again with --apply');
    expect((await k('--context', 'east', '-n', 'istio-system', 'get', 'secret', 'istio-remote-secret-west')).code).not.toBe(0);
    expect(existsSync(out)).toBe(false);
  });

  it('--apply joins: progress, istiod synced, the files and the install commands; kubectl sees the objects', async () => {
    const audited = auditLines().length;
    const result = await join_('--apply');
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('\napplying:\n  → updating namespace istio-system in west\n  ✓ updated namespace istio-system in west\n');
    expect(result.stdout).toContain('  ✓ created secret istio-system/istio-reader-service-account-istio-remote-secret-token in west; the API server filled in its token\n');
    expect(result.stdout).toMatch(/\n✓ istiod on east reports west synced \(istio-system\/istio-remote-secret-west\)\n✓ east's registry has west's services: (\d+) of \1 \([^)]*sample\/helloworld[^)]*\)\n\njoined: 12 steps done\n/);
    expect(result.stdout).toContain(`Install Istio's remote profile on west with the files (meshdeck does not install Istio):\n  istioctl install --context=east -y -f ${out}/east-eastwest-gateway.yaml\n`);
    expect(readFileSync(join(out, 'west-remote-istiooperator.yaml'), 'utf8')).toContain('      remotePilotAddress: ""\n');

    const secret = await k('--context', 'east', '-n', 'istio-system', 'get', 'secret', 'istio-remote-secret-west', '-o', 'jsonpath={.metadata.labels}{"\\n"}{.metadata.annotations}');
    expect(secret.code, secret.stderr).toBe(0);
    expect(JSON.parse(secret.stdout.split('\n')[0]!)).toEqual({ 'app.kubernetes.io/managed-by': 'meshdeck', 'istio/multiCluster': 'true' });
    expect(JSON.parse(secret.stdout.split('\n')[1]!)).toEqual({ 'meshdeck.io/join-cluster': 'west', 'networking.istio.io/cluster': 'west' });
    const ns = await k('--context', 'west', 'get', 'namespace', 'istio-system', '-o', 'jsonpath={.metadata.annotations.topology\\.istio\\.io/controlPlaneClusters}');
    expect(ns.stdout).toBe('east');
    expect(await istiodDebug('/debug/clusterz')).toContainEqual({ id: 'west', secretName: 'istio-system/istio-remote-secret-west', syncStatus: 'synced' });
    // Join's verify saw that through pods/portforward: the service proxy answers istiod's 401 all along.
    expect((await apiRequest(t.sim, 'east', '/api/v1/namespaces/istio-system/services/istiod:15014/proxy/debug/clusterz')).status).toBe(401);

    // The token never reaches the output.
    const token = await k('--context', 'west', '-n', 'istio-system', 'get', 'secret', 'istio-reader-service-account-istio-remote-secret-token', '-o', 'jsonpath={.data.token}');
    expect(Buffer.from(token.stdout, 'base64').toString('utf8')).toMatch(/^ey/);
    expect(result.stdout).not.toContain(Buffer.from(token.stdout, 'base64').toString('utf8'));

    // Each change to a cluster is in the audit log: who, where, what, how it went; never the token.
    const entries = auditLines().slice(audited).map((line) => JSON.parse(line) as Record<string, string>);
    expect(entries.map((e) => `${e['context']} ${e['verb']} ${e['object']} ${e['outcome']}`)).toEqual([
      'west patch namespace istio-system success',
      'west create secret istio-system/istio-reader-service-account-istio-remote-secret-token success',
      'west create gateway istio-system/cross-network-gateway success',
      'east create gateway istio-system/istiod-gateway success',
      'east create virtualservice istio-system/istiod-vs success',
      'east create gateway istio-system/cross-network-gateway success',
      'east create secret istio-system/istio-remote-secret-west success',
    ]);
    expect(entries.every((e) => e['user'] !== undefined)).toBe(true);
    expect(auditLines().join('\n')).not.toContain(Buffer.from(token.stdout, 'base64').toString('utf8'));
  });

  it('joining twice says already joined, changes nothing, and still checks istiod (text and json)', async () => {
    const before = await k('--context', 'east', '-n', 'istio-system', 'get', 'secret', 'istio-remote-secret-west', '-o', 'jsonpath={.metadata.resourceVersion}');
    const text = await join_('--apply');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('\nalready joined: west is a remote of east as west; nothing in the clusters changes\n');
    expect(text.stdout).toContain('\n✓ istiod on east reports west synced (istio-system/istio-remote-secret-west)\n');
    const json = await join_('--apply', '--output', 'json');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { plan: { kind: string; alreadyJoined: boolean; steps: unknown[]; preflight: { id: string; status: string }[] }; applied: boolean; verify: { ok: boolean; state: string } };
    expect(parsed.plan).toMatchObject({ kind: 'join', alreadyJoined: true, steps: [] });
    expect(parsed.plan.preflight.filter((c) => c.status === 'fail')).toEqual([]);
    expect(parsed.applied).toBe(false);
    expect(parsed.verify).toMatchObject({ ok: true, state: 'synced', registry: { ok: true, missing: [] } });
    expect((parsed.verify as unknown as { registry: { expected: string[] } }).registry.expected).toContain('sample/helloworld');
    const after = await k('--context', 'east', '-n', 'istio-system', 'get', 'secret', 'istio-remote-secret-west', '-o', 'jsonpath={.metadata.resourceVersion}');
    expect(after.stdout).toBe(before.stdout);
  });

  it("a reader that may no longer list services: istiod still says synced, but verify names the missing registry entries and the RBAC (text and json)", async () => {
    const role = 'istio-reader-clusterrole-istio-system';
    const rules = JSON.parse((await k('--context', 'west', 'get', 'clusterrole', role, '-o', 'jsonpath={.rules}')).stdout) as { apiGroups: string[]; resources: string[] }[];
    const core = rules.findIndex((r) => r.apiGroups.includes('') && r.resources.includes('services'));
    const without = rules[core]!.resources.filter((r) => r !== 'services');
    const patch = (resources: string[]) => k('--context', 'west', 'patch', 'clusterrole', role, '--type=json', '-p', JSON.stringify([{ op: 'replace', path: `/rules/${core}/resources`, value: resources }]));
    expect((await patch(without)).code).toBe(0);
    try {
      const text = await join_('--apply');
      expect(text.code, text.stdout).toBe(1);
      expect(text.stdout).toContain('\n✓ istiod on east reports west synced (istio-system/istio-remote-secret-west)\n✗ istiod on east reports west synced, but its registry can get none of west\'s services\n');
      expect(text.stdout).toContain(`  cause: west refuses the remote secret's reader token to list services (HTTP 403 Forbidden): istio-reader-service-account's ClusterRole ${role} lacks list on services or endpointslices, so istiod gets no services from west\n`);
      expect(text.stdout).toContain(`  fix: give it get, list and watch on services and discovery.k8s.io endpointslices again (kubectl --context west edit clusterrole ${role})`);
      const json = await join_('--apply', '--output', 'json');
      expect(json.code).toBe(1);
      const verify = (JSON.parse(json.stdout) as { verify: Record<string, unknown> }).verify;
      expect(verify).toMatchObject({ ok: false, state: 'synced', cause: 'reader-rbac', registry: { ok: false, cause: 'reader-rbac' } });
      // What istiod itself serves: west's services are gone from its registry once it lists again.
      await waitFor(async () => {
        const registry = await istiodDebug<{ clusterVIPs: { Addresses: Record<string, string[]> } }[]>('/debug/registryz');
        return registry.every((s) => !s.clusterVIPs.Addresses['west']);
      }, "west's services out of east's registry", 15_000);
    } finally {
      expect((await patch(rules[core]!.resources)).code).toBe(0);
    }
  });

  it('unjoin plans, then removes exactly what join created', async () => {
    const plan = await run('unjoin');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('unjoin west (west) from east\n');
    expect(plan.stdout, plan.stdout).toContain("    1. delete   secret istio-system/istio-remote-secret-west\n");
    const applied = await run('unjoin', '--apply', '--timeout', '20');
    expect(applied.code, applied.stdout).toBe(0);
    expect(applied.stdout).toContain('\n✓ istiod on east no longer lists west\n\nunjoined: 8 steps done\n');
    expect((await k('--context', 'east', '-n', 'istio-system', 'get', 'secret', 'istio-remote-secret-west')).stderr).toContain('NotFound');
    expect((await k('--context', 'west', '-n', 'istio-system', 'get', 'secret', 'istio-reader-service-account-istio-remote-secret-token')).stderr).toContain('NotFound');
    // Made by Istio's installation, not by join: still there.
    expect((await k('--context', 'west', '-n', 'istio-system', 'get', 'serviceaccount', 'istio-reader-service-account')).code).toBe(0);
    const ns = await k('--context', 'west', 'get', 'namespace', 'istio-system', '-o', 'jsonpath={.metadata.annotations}');
    expect(ns.stdout).not.toMatch(/controlPlaneClusters|meshdeck/);
    const again = await run('unjoin', '--apply');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('west was not joined to east by meshdeck: nothing to remove');
  });

  it('the wizard service: clusters with roles, prefilled defaults, the same plan, apply with a checklist, verify with the topology', async () => {
    const contexts = loadKubeconfig(kubeconfigFiles(t.kubeconfigPath, {})).contexts;
    const wizard = joinWizardService(contexts, { env, syncTimeoutMs: 20_000, cwd: t.dir });
    const clusters = await wizard.clusters();
    expect(clusters.map((c) => [c.cluster, c.role, c.network, c.suggestedPrimary])).toEqual([
      ['east', 'standalone', 'network1', true],
      ['west', 'standalone', 'network2', true],
    ]);
    expect(clusters[0]!.root).toBe(clusters[1]!.root);
    const input = await wizard.defaults('east', 'west');
    expect(input).toEqual({ primary: 'east', remote: 'west', clusterName: 'west', network: 'network2', meshId: 'mesh1', remoteApiServer: t.sim.clusters[1]!.address(), outDir: join(t.dir, 'meshdeck-join') });
    const statuses: string[] = [];
    const review = await wizard.prepare(input, (s) => statuses.push(s));
    expect(statuses).toEqual(['reading east and west…']);
    expect(review).toMatchObject({ blocked: false, empty: false, alreadyJoined: false });
    expect(review.lines[0]).toBe('join west to east as remote cluster west');
    expect(review.checklist.at(-1)).toEqual({ id: 'east/verify-sync', label: 'west synced (istiod reads west\'s API server with the reader token), and west\'s services in east\'s registry' });
    const lines: string[] = [];
    const steps: string[] = [];
    const applied = await wizard.apply((l) => lines.push(l), (p) => p.state === 'done' && steps.push(p.stepId));
    expect(applied.ok).toBe(true);
    expect(steps).toEqual(review.checklist.map((c) => c.id));
    const verified = await wizard.verify(() => {});
    expect(verified.ok).toBe(true);
    expect(verified.lines).toContainEqual(expect.stringMatching(/^✓ east's registry has west's services: \d+ of \d+ /));
    expect(verified.lines.slice(-2)).toEqual(['east (primary, cluster ID east, network network1)', `  └ west at ${t.sim.clusters[1]!.address()}: synced`]);
    expect((await wizard.clusters()).map((c) => [c.cluster, c.role, c.remotes, c.controlPlane])).toEqual([
      ['east', 'primary', ['west'], undefined],
      ['west', 'standalone', [], 'east'],
    ]);
    const unjoin = await wizard.prepareUnjoin('east', 'west', () => {});
    expect(unjoin.blocked).toBe(false);
    expect((await wizard.apply(() => {})).ok).toBe(true);
    expect((await wizard.prepareUnjoin('east', 'west', () => {})).empty).toBe(true);
  });
});
