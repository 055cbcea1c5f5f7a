import { appendFileSync } from 'node:fs';

/**
 * When `MESHDECK_SIM_SECRETS` names a file, every bearer token and private key the simulator makes is
 * appended to it, one per line (`token VALUE`, or `key LINE` with a line from the middle of the key's
 * PEM body), so a test suite can check that none of its output carries one. Unset, nothing is written.
 */
export function registerSecret(kind: 'token' | 'key', value: string): void {
  const file = process.env['MESHDECK_SIM_SECRETS'];
  if (!file) return;
  const line = kind === 'key' ? keyFragment(value) : value;
  if (!line) return;
  try {
    appendFileSync(file, `${kind} ${line}\n`, { mode: 0o600 });
  } catch {
    // a registry that cannot be written must not break the simulator
  }
}

/** A full base64 line of a PEM private key's body: enough to recognise the key, printed with or without its armour. */
function keyFragment(pem: string): string | undefined {
  const body = pem.split('\n').filter((l) => l && !l.startsWith('-----'));
  return body.find((l) => l.length >= 60) ?? body[0];
}
