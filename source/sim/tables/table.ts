// Server-side printing: the meta.k8s.io/v1 Table that `kubectl get` (and `-o wide`) asks for
// with Accept: application/json;as=Table;v=v1;g=meta.k8s.io.
import { clone, type JsonObject, type JsonValue, type KubeObject } from '../objects.js';
import { printerFor } from './printers.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableInput {
  /** API group of the listed kind; '' for core. */
  group: string;
  kind: string;
  items: KubeObject[];
  /** The clock AGE and other durations are measured against. */
  now: Date;
  /** The includeObject query parameter; kubectl's default is Metadata. */
  includeObject: IncludeObject;
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
  /**
   * Version to stamp on rows when includeObject=Object and an item has no apiVersion.
   * Defaults to v1, the served version of every kind the simulator knows.
   */
  version?: string;
}

function rowObject(item: KubeObject, input: TableInput): JsonObject | undefined {
  switch (input.includeObject) {
    case 'None':
      return undefined;
    case 'Metadata':
      // NAMESPACE (-A), --show-labels and -L all read this metadata.
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: clone(item.metadata) };
    case 'Object': {
      const version = input.version ?? 'v1';
      const apiVersion = item.apiVersion ?? (input.group ? `${input.group}/${version}` : version);
      return { ...clone(item), apiVersion, kind: item.kind ?? input.kind };
    }
  }
}

export function toTable(input: TableInput): JsonObject {
  const printer = printerFor(input.group, input.kind);
  const metadata: JsonObject = { resourceVersion: input.resourceVersion };
  if (input.continueToken) metadata.continue = input.continueToken;
  if (input.remainingItemCount !== undefined) metadata.remainingItemCount = input.remainingItemCount;

  const rows: JsonValue[] = input.items.map((item) => {
    const row: JsonObject = { cells: printer.cells(item, input.now) };
    const conditions = printer.conditions?.(item);
    if (conditions) row.conditions = conditions;
    const object = rowObject(item, input);
    if (object) row.object = object;
    return row;
  });

  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: printer.columns.map((c) => ({ ...c })),
    rows,
  };
}
