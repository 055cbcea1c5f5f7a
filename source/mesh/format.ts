import type { ClusterSnapshot } from './types.js';

/** Kubernetes-style short durations: 45s, 3m20s, 10h, 2d3h. */
export function shortDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 ? `${minutes}m${seconds % 60}s` : `${minutes}m`;
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 && hours < 10 ? `${hours}h${minutes % 60}m` : `${hours}h`;
  const days = Math.floor(hours / 24);
  return hours % 24 && days < 8 ? `${days}d${hours % 24}h` : `${days}d`;
}

/** The first four bytes of a fingerprint: enough to see at a glance that two roots differ. */
export function shortFingerprint(fingerprint: string | undefined): string {
  if (!fingerprint) return '-';
  return fingerprint.split(':').slice(0, 4).join(':');
}

export function describeProblem(snapshot: ClusterSnapshot, now: number): string | undefined {
  if (snapshot.state === 'synced' || snapshot.state === 'connecting') return undefined;
  // The retry comes before the age: in a narrow column the end is what gets cut.
  const parts = [snapshot.error ?? 'unreachable'];
  if (snapshot.retryAt) parts.push(`retry in ${shortDuration(Math.max(0, snapshot.retryAt - now) + 999)}`);
  if (snapshot.state === 'stale' && snapshot.lastEventAt) parts.push(`data ${shortDuration(now - snapshot.lastEventAt)} old`);
  return parts.join(', ');
}
