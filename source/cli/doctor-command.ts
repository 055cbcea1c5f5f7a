import type { Command } from './command.js';
import { contextsFromOptions } from './contexts.js';
import { UsageError } from './args.js';
import type { ProxyLogEvidence } from '../kube/proxy-logs.js';
import type { DoctorSnapshot } from '../mesh/doctor/index.js';

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check the mesh across all clusters and print what is wrong, with the fix (exit 1 on errors)',
  usage: 'meshdeck doctor [--kubeconfig FILE] [--context a,b] [--output text|json] [--timeout SECONDS]',
  options: [
    { name: 'kubeconfig', kind: 'string', description: 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)', value: 'FILE' },
    { name: 'context', kind: 'string', description: 'comma-separated contexts to check (default: all)', value: 'a,b' },
    { name: 'output', kind: 'string', short: 'o', description: 'text (a table) or json', default: 'text', value: 'FORMAT' },
    { name: 'timeout', kind: 'integer', description: 'seconds to wait for every cluster to answer', default: 20, value: 'SECONDS', min: 1, max: 600 },
  ],
  async run(options, _positionals, ctx) {
    const output = String(options['output']);
    if (output !== 'text' && output !== 'json') throw new UsageError(`--output must be text or json, got "${output}"`, 'doctor');
    const contexts = contextsFromOptions(options, ctx);
    const deadline = Date.now() + Number(options['timeout']) * 1000;
    // Loaded here, not at start-up: other commands do not pay for the Kubernetes client or the checks.
    const [{ MeshSession }, { sampleProxyLogs }, { DerivationCache, deriveMeshModel }, { runDoctor }, { formatDoctorJson, formatDoctorText }] = await Promise.all([
      import('../kube/mesh-session.js'),
      import('../kube/proxy-logs.js'),
      import('../mesh/model.js'),
      import('../mesh/doctor/index.js'),
      import('./doctor-format.js'),
    ]);
    const session = await MeshSession.open(contexts);
    session.start();
    let snapshots: DoctorSnapshot[];
    try {
      await session.waitUntilSettled(deadline - Date.now());
      const watched = session.snapshot();
      // Not-ready proxies: their recent logs say whether certificates are the cause (bounded by the timeout, at least 2 s).
      const budget = new Promise<Map<string, ProxyLogEvidence[]>>((resolve) => setTimeout(() => resolve(new Map()), Math.max(2000, deadline - Date.now())).unref());
      const logs = await Promise.race([sampleProxyLogs(session.clusters, watched), budget]);
      snapshots = watched.map((s) => (logs.has(s.name) ? { ...s, proxyLogs: logs.get(s.name)! } : s));
    } finally {
      session.stop();
    }
    const now = Date.now();
    const findings = runDoctor(snapshots, deriveMeshModel(snapshots, now, new DerivationCache()), now);
    ctx.stdout.write(output === 'json' ? formatDoctorJson(snapshots, findings) : formatDoctorText(snapshots, findings));
    return findings.some((f) => f.severity === 'error') ? 1 : 0;
  },
};
