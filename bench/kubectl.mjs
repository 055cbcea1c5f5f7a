// kubectl, as a person or a script would run it against the same contexts: a cold cache each time.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(args, timeoutMs) {
  return new Promise((resolve, reject) => {
    execFile('kubectl', args, { maxBuffer: 2 * 1024 * 1024 * 1024, timeout: timeoutMs }, (error, stdout, stderr) =>
      error ? reject(new Error(`kubectl ${args.slice(4).join(' ')}: ${error.message} ${String(stderr).slice(-300)}`)) : resolve(stdout),
    );
  });
}

/**
 * Runs `perContext(context, kubectl)` over every context, one after another or all at once; wall time.
 * Every kubectl call is killed once `timeoutMs` have passed since the start.
 */
async function overContexts(kubeconfig, contexts, parallel, perContext, timeoutMs) {
  const cache = mkdtempSync(join(tmpdir(), 'bench-kc-'));
  const deadline = performance.now() + timeoutMs;
  // A cache directory per context and run: discovery is fetched again, as in a fresh shell.
  const kubectl = (context, args) => run(['--kubeconfig', kubeconfig, '--cache-dir', join(cache, context), '--context', context, ...args], Math.round(Math.max(1000, deadline - performance.now())));
  const started = performance.now();
  const outputs = [];
  try {
    if (parallel) outputs.push(...(await Promise.all(contexts.map((context) => perContext(context, kubectl)))));
    else for (const context of contexts) outputs.push(await perContext(context, kubectl));
    return { ms: performance.now() - started, outputs };
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

/** `kubectl get pods -A` over every context; the count of pod lines printed. */
export async function kubectlGetPods(kubeconfig, contexts, { parallel, timeoutMs = 300_000 }) {
  const { ms, outputs } = await overContexts(kubeconfig, contexts, parallel, (context, kubectl) => kubectl(context, ['get', 'pods', '-A', '--no-headers']), timeoutMs);
  let lines = 0;
  for (const out of outputs) for (let i = out.indexOf('\n'); i >= 0; i = out.indexOf('\n', i + 1)) lines++;
  return { ms, lines };
}

/**
 * The kubectl calls that gather what `meshdeck doctor` reads, per context: the server version; namespaces,
 * pods, Deployments and Services; istio-system's ConfigMaps and Secrets; the Istio networking resources.
 * As JSON, since the checks need the objects, not tables. (istiod's /debug/clusterz and the logs of
 * not-ready proxies are read only where there is an istiod or such a proxy; the plain clusters have none.)
 */
export async function kubectlDoctorFacts(kubeconfig, contexts, { parallel, timeoutMs = 300_000 }) {
  const { ms, outputs } = await overContexts(
    kubeconfig,
    contexts,
    parallel,
    async (context, kubectl) => {
      const version = await kubectl(context, ['version', '-o', 'json']);
      const core = await kubectl(context, ['get', 'namespaces,pods,deployments,services', '-A', '-o', 'json']);
      const system = await kubectl(context, ['get', 'configmaps,secrets', '-n', 'istio-system', '-o', 'json']);
      const istio = await kubectl(context, ['get', 'gateways.networking.istio.io,virtualservices.networking.istio.io,destinationrules.networking.istio.io,serviceentries.networking.istio.io', '-A', '-o', 'json']);
      return version.length + core.length + system.length + istio.length;
    },
    timeoutMs,
  );
  return { ms, bytes: outputs.reduce((a, b) => a + b, 0) };
}
