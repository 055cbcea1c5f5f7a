// `meshdeck doctor --output json`: wall time from spawning the command to its exit, and what it found.
import { execFile } from 'node:child_process';

const MAIN = new URL('../dist/bundle/meshdeck.js', import.meta.url).pathname;

/** killAfterMs bounds the whole run (the command is killed then); `--timeout` is the doctor's own wait. */
export function meshdeckDoctor(kubeconfig, { timeoutSeconds = 300, killAfterMs = (timeoutSeconds + 60) * 1000 } = {}) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile('node', [MAIN, 'doctor', '--kubeconfig', kubeconfig, '--output', 'json', '--timeout', String(timeoutSeconds)], { maxBuffer: 512 * 1024 * 1024, timeout: killAfterMs }, (error, stdout, stderr) => {
      const ms = performance.now() - started;
      // Exit 1 means errors were found, which is a result; anything else is a failure of the run.
      const code = error ? error.code : 0;
      if (code !== 0 && code !== 1) return reject(new Error(`meshdeck doctor exited ${code}: ${String(stderr).slice(-500)}`));
      let report;
      try {
        report = JSON.parse(stdout);
      } catch {
        return reject(new Error(`meshdeck doctor (exit ${code}) printed no JSON: ${stdout.slice(0, 200)} ${String(stderr).slice(-300)}`));
      }
      resolve({ ms, exitCode: code, clusters: report.clusters?.length ?? 0, findings: report.findings?.length ?? 0, summary: report.summary });
    });
  });
}
