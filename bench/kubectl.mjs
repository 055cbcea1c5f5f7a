import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(args) {
  return new Promise((resolve, reject) => {
    execFile('kubectl', args, { maxBuffer: 512 * 1024 * 1024 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

/** `kubectl get pods -A` over every context, one after another or all at once; each with a cold cache, as a fresh shell would. */
export async function kubectlGetPods(kubeconfig, contexts, { parallel }) {
  const once = (context) => run(['--kubeconfig', kubeconfig, '--cache-dir', mkdtempSync(join(tmpdir(), 'bench-kc-')), '--context', context, 'get', 'pods', '-A', '--no-headers']);
  const started = performance.now();
  let lines = 0;
  if (parallel) {
    for (const out of await Promise.all(contexts.map(once))) lines += out.split('\n').filter(Boolean).length;
  } else {
    for (const context of contexts) lines += (await once(context)).split('\n').filter(Boolean).length;
  }
  return { ms: performance.now() - started, lines };
}
