import { RowFilterCache } from '../../mesh/filter.js';
import type { MeshModel } from '../../mesh/model.js';
import type { UiState } from '../state/ui-state.js';
import { PANES, type PaneId } from './registry.js';

export interface VisibleRows {
  clusters: MeshModel['clusters'];
  gateways: MeshModel['gateways'];
  workloads: MeshModel['workloads'];
  findings: MeshModel['findings'];
  services: MeshModel['services'];
}

/** The filter text of a pane: the one being typed applies live. */
export function filterTextOf(state: UiState, id: PaneId): string {
  return state.mode === 'filter' && state.pane === id && !state.logs ? state.input : state.filters[id];
}

/**
 * The rows each pane shows for a UI state (its filter, live while typed, and the :ctx cluster), kept
 * per pane: a pane whose rows, filter and cluster did not change gives the same list, so its table is
 * not redrawn; see RowFilterCache for how 50,000 rows are filtered per keystroke.
 */
export class VisibleRowsCache {
  private readonly panes = {
    clusters: new RowFilterCache(PANES.clusters.haystack),
    gateways: new RowFilterCache(PANES.gateways.haystack),
    workloads: new RowFilterCache(PANES.workloads.haystack),
    findings: new RowFilterCache(PANES.findings.haystack),
    services: new RowFilterCache(PANES.services.haystack),
  };
  private only: { cluster: string | undefined; keep: ((row: { cluster: string }) => boolean) | undefined } = { cluster: undefined, keep: undefined };
  private last: VisibleRows | undefined;

  visible(model: MeshModel, state: UiState): VisibleRows {
    if (this.only.cluster !== state.onlyCluster) {
      const cluster = state.onlyCluster;
      this.only = { cluster, keep: cluster ? (row) => row.cluster.split(',').includes(cluster) : undefined };
    }
    const keep = this.only.keep;
    const next: VisibleRows = {
      clusters: this.panes.clusters.filter(model.clusters, filterTextOf(state, 'clusters'), keep) as VisibleRows['clusters'],
      gateways: this.panes.gateways.filter(model.gateways, filterTextOf(state, 'gateways'), keep) as VisibleRows['gateways'],
      workloads: this.panes.workloads.filter(model.workloads, filterTextOf(state, 'workloads'), keep) as VisibleRows['workloads'],
      findings: this.panes.findings.filter(model.findings, filterTextOf(state, 'findings'), keep) as VisibleRows['findings'],
      services: this.panes.services.filter(model.services, filterTextOf(state, 'services'), keep) as VisibleRows['services'],
    };
    const last = this.last;
    if (last && last.clusters === next.clusters && last.gateways === next.gateways && last.workloads === next.workloads && last.findings === next.findings && last.services === next.services) return last;
    this.last = next;
    return next;
  }
}

/** The rows each pane shows, without a cache (tests, one-off callers). */
export function visibleRows(model: MeshModel, state: UiState): VisibleRows {
  return new VisibleRowsCache().visible(model, state);
}
