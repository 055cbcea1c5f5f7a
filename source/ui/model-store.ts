import type { CockpitSource } from './source.js';
import { DerivationCache, deriveMeshModel, type MeshModel } from '../mesh/model.js';
import { runDoctor } from '../mesh/doctor/index.js';
import type { FindingRow } from '../mesh/types.js';
import { ServiceRowsCache } from '../mesh/services.js';
import { DataPacer, type DataPacerOptions } from './hooks/data-pacer.js';

/** The doctor reruns at most this often while data keeps changing (its findings are about state, not events). */
const DOCTOR_MIN_INTERVAL_MS = 1000;

export interface ModelStoreOptions {
  /** The clock for ages and retries (cluster rows). */
  now?: () => number;
  tickMs?: number;
  pacer?: DataPacerOptions;
}

/**
 * The mesh model the screen shows, derived outside React. Data changes reach it through a DataPacer
 * (keys first, at most one re-derivation per 100 ms), the clock through a slow tick that only re-derives
 * the cluster rows. Listeners hear only about a model that shows something new: a watch event nobody
 * sees (a pod label) or a tick that changes no age on screen costs no React render and no frame.
 * Row lists keep their identity while their data does not change, so filters and tables downstream
 * are not redone.
 */
export class CockpitModelStore {
  private readonly cache = new DerivationCache();
  private readonly services = new ServiceRowsCache();
  private serviceRows: { source: unknown; rows: MeshModel['services']; text: string } = { source: undefined, rows: [], text: '' };
  private findings: { revision: number; at: number; rows: FindingRow[]; text: string } = { revision: -1, at: -Infinity, rows: [], text: '' };
  private model: MeshModel;
  private clustersText = '';
  private readonly listeners = new Set<() => void>();
  private readonly pacer: DataPacer;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly source: CockpitSource,
    private readonly options: ModelStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.pacer = new DataPacer(() => this.refresh(), options.pacer);
    this.model = this.derive();
  }

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.source.subscribe(this.pacer.changed);
    this.timer = setInterval(() => this.refresh(), this.options.tickMs ?? 1000);
    // A change between construction and now is not lost.
    this.pacer.changed();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearInterval(this.timer);
    this.pacer.dispose();
  }

  /** A key arrived: data re-derivations step aside for a moment. */
  keyPressed(): void {
    this.pacer.keyPressed();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getModel = (): MeshModel => this.model;

  /** Re-derives now and tells listeners when the model shows something new. */
  refresh(): void {
    const before = this.model;
    const next = this.derive();
    if (next === before) return;
    this.model = next;
    for (const listener of this.listeners) listener();
  }

  private derive(): MeshModel {
    const revision = this.source.getRevision();
    const snapshots = this.source.snapshot();
    const now = this.now();
    const model = deriveMeshModel(snapshots, now, this.cache);
    const f = this.findings;
    const clock = performance.now();
    if (f.revision !== revision && (f.revision === -1 || clock - f.at >= DOCTOR_MIN_INTERVAL_MS)) {
      // Keys stay stable while a finding stays, so the selection does not jump when others come and go.
      const seen = new Map<string, number>();
      const rows = runDoctor(snapshots, model, now).map((finding) => {
        const base = `${finding.cluster}/${finding.code}/${finding.object}`;
        const n = (seen.get(base) ?? 0) + 1;
        seen.set(base, n);
        return { ...finding, key: n === 1 ? base : `${base}#${n}` };
      });
      const text = JSON.stringify(rows);
      this.findings = { revision, at: clock, rows: text === f.text ? f.rows : rows, text };
    }
    const derived = this.services.rowsFor(snapshots);
    if (this.serviceRows.source !== derived) {
      const rows = derived.map((r) => ({ ...r, cluster: r.clusters.map((c) => c.cluster).join(',') }));
      const text = JSON.stringify(rows);
      this.serviceRows = { source: derived, rows: text === this.serviceRows.text ? this.serviceRows.rows : rows, text };
    }
    const previous = this.model as MeshModel | undefined;
    // Cluster rows are made again on every tick; the same text keeps the same rows.
    const clustersText = JSON.stringify(model.clusters);
    const clusters = previous && clustersText === this.clustersText ? previous.clusters : model.clusters;
    this.clustersText = clustersText;
    const findings = this.findings.rows;
    const services = this.serviceRows.rows;
    if (previous && previous.clusters === clusters && previous.gateways === model.gateways && previous.workloads === model.workloads && previous.findings === findings && previous.services === services) return previous;
    return {
      ...model,
      clusters,
      findings,
      services,
      summary: { ...model.summary, errors: findings.filter((x) => x.severity === 'error').length, warnings: findings.filter((x) => x.severity === 'warning').length },
    };
  }
}
