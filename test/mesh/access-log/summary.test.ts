import { describe, expect, it } from 'vitest';
import { parseLogLine } from '../../../source/mesh/access-log/parse.js';
import { RollingSummary, statusClassMatches } from '../../../source/mesh/access-log/summary.js';
import type { AccessLogEntry, ParsedLine } from '../../../source/mesh/access-log/types.js';

function entry(code: number | undefined, flags: string[] = []): AccessLogEntry {
  return {
    kind: 'access',
    format: 'text',
    startTime: '2026-01-01T00:00:00.000Z',
    method: 'GET',
    path: '/',
    protocol: 'HTTP/1.1',
    responseCode: code,
    responseFlags: flags,
    responseCodeDetails: undefined,
    connectionTerminationDetails: undefined,
    upstreamTransportFailureReason: undefined,
    bytesReceived: 0,
    bytesSent: 0,
    durationMs: 1,
    upstreamServiceTimeMs: undefined,
    forwardedFor: undefined,
    userAgent: undefined,
    requestId: undefined,
    authority: undefined,
    upstreamHost: undefined,
    upstreamCluster: undefined,
    upstreamLocalAddress: undefined,
    downstreamLocalAddress: undefined,
    downstreamRemoteAddress: undefined,
    requestedServerName: undefined,
    routeName: undefined,
  };
}

const raw: ParsedLine = { kind: 'raw', text: '2026-01-01T00:00:00.000000Z\tinfo\tEnvoy proxy is ready' };
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('statusClassMatches', () => {
  it.each([
    [200, '2xx', true],
    [299, '2xx', true],
    [300, '2xx', false],
    [301, '3xx', true],
    [404, '4xx', true],
    [499, '4xx', true],
    [500, '5xx', true],
    [503, '5xx', true],
    [599, '5xx', true],
    [0, '5xx', false],
    [0, '2xx', false],
    [undefined, '2xx', false],
  ] as const)('%s is %s: %s', (code, cls, expected) => {
    expect(statusClassMatches(entry(code), cls)).toBe(expected);
  });

  it('raw lines match no class', () => {
    for (const cls of ['2xx', '3xx', '4xx', '5xx'] as const) expect(statusClassMatches(raw, cls)).toBe(false);
  });

  it('works on parsed lines', () => {
    const parsed = parseLogLine('[2021-10-29T20:28:11.709Z] "POST /apis/dhcp-kea HTTP/2" 503 UF,URX "-" "TLS error: Secret is not supplied by SDS" 55 91 61 - "10.32.0.1" "curl/7.66.0" "aa675f53-6b77-470e-9ed7-825215784bf7" "api-gw-service-nmn.local" "10.42.0.42:8000" outbound|8000||cray-dhcp-kea-api.services.svc.cluster.local - 10.36.0.84:443 10.32.0.1:41865 api-gw-service-nmn.local -');
    expect(statusClassMatches(parsed, '5xx')).toBe(true);
  });
});

describe('RollingSummary', () => {
  it('is empty before any line', () => {
    expect(new RollingSummary().snapshot(T0)).toEqual({ requestsPerSecond: 0, share2xx: 0, share4xx: 0, share5xx: 0, topFlags: [] });
  });

  it('counts requests per second, status shares and flags over a full minute', () => {
    const summary = new RollingSummary();
    // 60 seconds, 10 requests a second: 7 × 200, 1 × 404, 1 × 503 UF, 1 × 503 UF,URX.
    for (let s = 0; s < 60; s++) {
      for (let i = 0; i < 7; i++) summary.add(entry(200), T0 + s * 1000 + i);
      summary.add(entry(404, ['NR']), T0 + s * 1000 + 7);
      summary.add(entry(503, ['UF']), T0 + s * 1000 + 8);
      summary.add(entry(503, ['UF', 'URX']), T0 + s * 1000 + 9);
      summary.add(raw, T0 + s * 1000 + 10);
    }
    const snap = summary.snapshot(T0 + 59_999);
    expect(snap.requestsPerSecond).toBeCloseTo(10);
    expect(snap.share2xx).toBeCloseTo(0.7);
    expect(snap.share4xx).toBeCloseTo(0.1);
    expect(snap.share5xx).toBeCloseTo(0.2);
    expect(snap.topFlags).toEqual([
      { flag: 'UF', count: 120 },
      { flag: 'NR', count: 60 },
      { flag: 'URX', count: 60 },
    ]);
  });

  it('forgets what is older than 60 seconds', () => {
    const summary = new RollingSummary();
    for (let s = 0; s < 60; s++) summary.add(entry(s < 30 ? 500 : 200, s < 30 ? ['UH'] : []), T0 + s * 1000);
    expect(summary.snapshot(T0 + 59_000).share5xx).toBeCloseTo(0.5);
    // 30 seconds later the failing half has left the window.
    const later = summary.snapshot(T0 + 89_000);
    expect(later.share5xx).toBe(0);
    expect(later.share2xx).toBe(1);
    expect(later.requestsPerSecond).toBeCloseTo(30 / 60);
    expect(later.topFlags).toEqual([]);
    // And a minute after the last line there is nothing left.
    expect(summary.snapshot(T0 + 119_000)).toEqual({ requestsPerSecond: 0, share2xx: 0, share4xx: 0, share5xx: 0, topFlags: [] });
  });

  it('reuses a second\'s bucket when the window wraps around', () => {
    const summary = new RollingSummary();
    summary.add(entry(500), T0);
    summary.add(entry(200), T0 + 60_000); // same slot of the ring, a minute later
    const snap = summary.snapshot(T0 + 60_000);
    expect(snap.share2xx).toBe(1);
    expect(snap.share5xx).toBe(0);
  });

  it('measures the rate over the time seen so far during the first minute', () => {
    const summary = new RollingSummary();
    for (let s = 0; s < 5; s++) for (let i = 0; i < 20; i++) summary.add(entry(200), T0 + s * 1000 + i);
    expect(summary.snapshot(T0 + 4_500).requestsPerSecond).toBeCloseTo(20);
  });

  it('drops lines older than the window and ignores lines from the future', () => {
    const summary = new RollingSummary();
    summary.add(entry(200), T0 + 120_000);
    summary.add(entry(500), T0); // two minutes before the newest line: dropped
    expect(summary.snapshot(T0 + 120_000).share5xx).toBe(0);
    summary.add(entry(404), T0 + 125_000);
    // Asking about an earlier moment does not count lines after it.
    expect(summary.snapshot(T0 + 121_000).share4xx).toBe(0);
    expect(summary.snapshot(T0 + 125_000).share4xx).toBe(0.5);
  });

  it('counts TCP connections (code 0) as requests in no status class', () => {
    const summary = new RollingSummary();
    summary.add(entry(0), T0);
    summary.add(entry(200), T0);
    const snap = summary.snapshot(T0);
    expect(snap.requestsPerSecond).toBe(2);
    expect(snap.share2xx).toBe(0.5);
    expect(snap.share4xx + snap.share5xx).toBe(0);
  });

  it('sorts flags by count, then by name', () => {
    const summary = new RollingSummary();
    for (const flags of [['UO'], ['DC'], ['UO'], ['NR'], ['DC'], ['UO']]) summary.add(entry(503, flags), T0);
    expect(summary.snapshot(T0).topFlags).toEqual([
      { flag: 'UO', count: 3 },
      { flag: 'DC', count: 2 },
      { flag: 'NR', count: 1 },
    ]);
  });

  it('keeps memory flat: an hour at 5,000 lines a second holds 60 buckets', () => {
    const summary = new RollingSummary();
    const flagSets = [[], [], [], ['UF'], ['UH'], ['NR'], ['UF', 'URX']];
    for (let s = 0; s < 3600; s++) for (let i = 0; i < 5000; i += 50) summary.add(entry(i % 7 === 0 ? 503 : 200, flagSets[i % flagSets.length]), T0 + s * 1000 + (i % 1000));
    const buckets = (summary as unknown as { flags: (Map<string, number> | undefined)[] }).flags;
    expect(buckets).toHaveLength(60);
    for (const map of buckets) expect(map?.size ?? 0).toBeLessThanOrEqual(4);
    expect(summary.snapshot(T0 + 3_599_999).requestsPerSecond).toBeCloseTo(100);
  });

  it('bounds the distinct flags kept per second', () => {
    const summary = new RollingSummary();
    for (let i = 0; i < 500; i++) summary.add(entry(503, [`X${i}`]), T0);
    const snap = summary.snapshot(T0);
    expect(snap.topFlags.length).toBeLessThanOrEqual(41);
    expect(snap.topFlags.reduce((n, f) => n + f.count, 0)).toBe(500);
  });
});
