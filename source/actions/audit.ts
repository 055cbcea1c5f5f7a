import { constants } from 'node:fs';
import { chmod, mkdir, open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * One change meshdeck applied (or tried to apply) to a cluster. Who, when, where, what, how it went:
 * never the contents of what was written (no secret values, keys or tokens).
 */
export interface AuditEntry {
  /** When the change was made; defaults to now. */
  time?: Date | string;
  /** Who: the user of the kubeconfig context the change went through (`''` when the context names none). */
  user: string;
  /** The kubeconfig context (the cluster, as meshdeck names it). */
  context: string;
  /** What was changed: `secret istio-system/cacerts`, `deployment istio-system/istiod`, ... */
  object: string;
  /** create, replace, patch, delete, restart, ... */
  verb: string;
  /** `success` when the API server accepted the change, `failure` when it did not (or meshdeck stopped first). */
  outcome: 'success' | 'failure';
  /** Why it failed, or a short note; one line, secret-looking text removed. */
  message?: string;
}

/** The audit log could not be written: one line naming the file and why. */
export class AuditError extends Error {}

const MAX_FIELD = 1_000;

/**
 * `$XDG_STATE_HOME/meshdeck/audit.log`, else `~/.local/state/meshdeck/audit.log`. A relative
 * XDG_STATE_HOME is ignored, as the XDG spec says.
 */
export function auditLogPath(env: NodeJS.ProcessEnv = process.env): string {
  const state = env['XDG_STATE_HOME'];
  const base = state && isAbsolute(state) ? state : join(env['HOME'] || homedir(), '.local', 'state');
  return join(base, 'meshdeck', 'audit.log');
}

/**
 * Appends one JSON object per line to the audit log (created mode 0600 in a 0700 directory; an
 * existing file open to others is narrowed to 0600), in a single write, so lines from several
 * meshdeck processes never interleave. Resolves with the file's path; rejects with an AuditError.
 * A symbolic link in place of the log is refused rather than followed.
 */
export async function appendAudit(entry: AuditEntry, options: { env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const path = auditLogPath(options.env);
  const line = `${JSON.stringify(auditRecord(entry))}\n`;
  const dir = join(path, '..');
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new AuditError(`cannot create the audit log directory ${dir} (${reason(error)}); set XDG_STATE_HOME to a writable directory`);
  }
  let handle;
  try {
    handle = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw new AuditError(`the audit log ${path} is a symbolic link; meshdeck does not follow it: remove it`);
    throw new AuditError(`cannot open the audit log ${path} (${reason(error)}); set XDG_STATE_HOME to a writable directory`);
  }
  try {
    const stat = await handle.stat();
    if ((stat.mode & 0o077) !== 0) await chmod(path, 0o600);
    await handle.write(line);
  } catch (error) {
    throw new AuditError(`cannot write the audit log ${path} (${reason(error)})`);
  } finally {
    await handle.close().catch(() => {});
  }
  return path;
}

/** The record as written: fixed key order, strings only, one line each, secret-looking text removed. */
export function auditRecord(entry: AuditEntry): Record<string, string> {
  const time = entry.time instanceof Date ? entry.time.toISOString() : typeof entry.time === 'string' && entry.time ? entry.time : new Date().toISOString();
  const record: Record<string, string> = {
    time,
    user: clean(entry.user),
    context: clean(entry.context),
    object: clean(entry.object),
    verb: clean(entry.verb),
    outcome: entry.outcome === 'success' ? 'success' : 'failure',
  };
  // Free text (an API server's error, an exception) is where a token could slip in: random-looking runs go too.
  if (entry.message !== undefined && entry.message !== '') record['message'] = clean(entry.message, { blobs: true });
  return record;
}

/** The kubeconfig user of a context, for `user` (a context without one has no credentials of its own). */
export function auditUser(context: { user: { name: string } }): string {
  return typeof context.user?.name === 'string' ? context.user.name : '';
}

const PEM = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g;
const BEARER = /\b(Bearer|bearer|token[=:]\s*)\s*[A-Za-z0-9._~+/=-]{8,}/g;
// Runs of base64 (tokens, secret data, JWT parts) with upper and lower case and digits: Kubernetes object
// names are lower case, and fingerprints are hex pairs with colons, so neither is touched.
const BLOB = /[A-Za-z0-9+/_-]{20,}={0,2}/g;
const randomLooking = (run: string) => /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run);

function clean(value: unknown, options: { blobs?: boolean } = {}): string {
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  let redacted = text.replace(PEM, '[PEM redacted]').replace(BEARER, (_m, prefix: string) => `${prefix.trim()} [redacted]`);
  if (options.blobs) redacted = redacted.replace(BLOB, (run) => (randomLooking(run) ? '[redacted]' : run));
  redacted = redacted
    .replace(/[\r\n\t]+/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '');
  return redacted.length > MAX_FIELD ? `${redacted.slice(0, MAX_FIELD - 1)}…` : redacted;
}

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ?? e.message?.split('\n')[0] ?? String(error);
}
