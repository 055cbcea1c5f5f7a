import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs the installed openssl; returns stdout+stderr and the exit code (the tests read both). */
export function openssl(args: string[], input?: string): { code: number; output: string } {
  try {
    const output = execFileSync('openssl', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    return { code: 0, output };
  } catch (error) {
    const e = error as { status?: number; stdout?: string; stderr?: string };
    return { code: e.status ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** Writes files into a new temporary directory and returns it. */
export function tempFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshdeck-pki-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** `openssl x509 -text` of a PEM certificate. */
export function certText(pem: string): string {
  return openssl(['x509', '-noout', '-text'], pem).output;
}
