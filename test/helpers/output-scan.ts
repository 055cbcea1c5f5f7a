import { existsSync, readFileSync } from 'node:fs';

/**
 * What meshdeck printed during one test file: in-process CLI runs (stdout and stderr of `main`), the
 * screens of cockpits in tmux, the output of `meshdeck sim` processes. Checked after the file against
 * the secrets the simulator issued (test/helpers/output-scan-setup.ts). kubectl's output is not
 * meshdeck's and is not recorded.
 */
const outputs = new Map<string, Set<string>>();

export function recordOutput(label: string, text: string): void {
  if (!text) return;
  let texts = outputs.get(label);
  if (!texts) outputs.set(label, (texts = new Set()));
  texts.add(text);
}

export function recordedOutputs(): Map<string, Set<string>> {
  return outputs;
}

/** The secrets the simulators of this run registered (MESHDECK_SIM_SECRETS): tokens and key fragments. */
export function registeredSecrets(file = process.env['MESHDECK_SIM_SECRETS']): { kind: string; value: string }[] {
  if (!file || !existsSync(file)) return [];
  return [...new Set(readFileSync(file, 'utf8').split('\n'))]
    .filter(Boolean)
    .map((line) => ({ kind: line.slice(0, line.indexOf(' ')), value: line.slice(line.indexOf(' ') + 1) }))
    .filter((s) => s.value.length >= 16);
}

const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** One line per leak found (where, and what kind), never the secret itself. */
export function findLeaks(texts: Map<string, Iterable<string>>, secrets: { kind: string; value: string }[]): string[] {
  const leaks: string[] = [];
  for (const [label, all] of texts) {
    for (const text of all) {
      if (PRIVATE_KEY.test(text)) leaks.push(`${label}: a PEM private key block`);
      const found = secrets.find((s) => text.includes(s.value));
      if (found) leaks.push(`${label}: ${found.kind === 'token' ? 'a bearer token' : 'part of a private key'} the simulator issued`);
      if (leaks.length > 0) break;
    }
  }
  return leaks;
}
