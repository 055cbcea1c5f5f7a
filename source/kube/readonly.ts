import { KubeRequestError } from './errors.js';

/** The process-wide default of `readonly` for transports that do not set it (`--readonly`, `readonly: true` in config.yaml). */
let readonlyMode = false;

/** Turns read-only mode on or off for every transport without an explicit setting; returns the previous value. */
export function setReadonlyMode(on: boolean): boolean {
  const previous = readonlyMode;
  readonlyMode = on;
  return previous;
}

export function isReadonlyMode(): boolean {
  return readonlyMode;
}

/** A request refused before it was sent because meshdeck runs read-only. */
export class ReadonlyError extends KubeRequestError {}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// POSTs that only ask a question (may I, who am I, is this token valid): they change nothing on the server.
const REVIEW_PATH = /^\/apis\/(authorization\.k8s\.io\/v1\/(selfsubjectaccessreviews|selfsubjectrulesreviews|subjectaccessreviews|namespaces\/[^/]+\/localsubjectaccessreviews)|authentication\.k8s\.io\/v1\/(tokenreviews|selfsubjectreviews))\/?$/;

/** Why `method path` may not be sent in read-only mode, or undefined when it changes nothing. */
export function readonlyRefusal(method: string, path: string): string | undefined {
  const verb = method.toUpperCase();
  if (READ_METHODS.has(verb)) return undefined;
  const url = new URL(path, 'https://api.invalid');
  if (verb === 'POST' && REVIEW_PATH.test(url.pathname)) return undefined;
  // A server-side dry run is validated and answered, never stored.
  if (url.searchParams.getAll('dryRun').includes('All')) return undefined;
  return `readonly mode: refused ${verb} ${url.pathname} (meshdeck runs with --readonly or "readonly: true" in config.yaml; nothing was sent to the cluster)`;
}
