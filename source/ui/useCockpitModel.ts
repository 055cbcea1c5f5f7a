import { useMemo, useRef, useSyncExternalStore } from 'react';
import type { CockpitSource } from './source.js';
import { DerivationCache, deriveMeshModel, type MeshModel } from '../mesh/model.js';
import { runDoctor } from '../mesh/doctor/index.js';
import type { FindingRow } from '../mesh/types.js';
import { ServiceRowsCache } from '../mesh/services.js';

/**
 * The mesh model with the doctor's findings. Rows are recomputed when the source's revision or the
 * clock moves; the doctor only when the data moved (its checks do not change within a second).
 */
export function useCockpitModel(source: CockpitSource, now: number): MeshModel {
  const revision = useSyncExternalStore(source.subscribe, source.getRevision);
  const cache = useRef(new DerivationCache());
  const findings = useRef<{ revision: number; rows: FindingRow[] }>({ revision: -1, rows: [] });
  const services = useRef(new ServiceRowsCache());
  const serviceRows = useRef<{ source: unknown; rows: MeshModel['services'] }>({ source: undefined, rows: [] });
  return useMemo(() => {
    const snapshots = source.snapshot();
    const model = deriveMeshModel(snapshots, now, cache.current);
    if (findings.current.revision !== revision) {
      // Keys stay stable while a finding stays, so the selection does not jump when others come and go.
      const seen = new Map<string, number>();
      const rows = runDoctor(snapshots, model, now).map((f) => {
        const base = `${f.cluster}/${f.code}/${f.object}`;
        const n = (seen.get(base) ?? 0) + 1;
        seen.set(base, n);
        return { ...f, key: n === 1 ? base : `${base}#${n}` };
      });
      findings.current = { revision, rows };
    }
    const rows = findings.current.rows;
    const derived = services.current.rowsFor(snapshots);
    if (serviceRows.current.source !== derived) serviceRows.current = { source: derived, rows: derived.map((r) => ({ ...r, cluster: r.clusters.map((c) => c.cluster).join(',') })) };
    return {
      ...model,
      findings: rows,
      services: serviceRows.current.rows,
      summary: { ...model.summary, errors: rows.filter((f) => f.severity === 'error').length, warnings: rows.filter((f) => f.severity === 'warning').length },
    };
  }, [source, revision, now]);
}
