// Custom resources are printed from their CRD's additionalPrinterColumns, the way the
// apiextensions table convertor does: only the first JSONPath match counts, string columns
// print lists as compact JSON, and date columns arrive already humanized.
import type { JsonValue } from '../objects.js';
import { NAME_COLUMN, column, type CellValue, type ColumnDefinition, type Printer } from './columns.js';
import { evaluateJsonPath, parseJsonPath } from './json-path.js';
import { goJson, humanDuration, parseTime } from './format.js';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  priority?: number;
  format?: string;
}

const CREATION_TIMESTAMP_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.';

export const AGE_PRINTER_COLUMN: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: CREATION_TIMESTAMP_DOC,
};

function stringCell(value: JsonValue): CellValue {
  if (value === null) return null;
  if (typeof value === 'object') return goJson(value);
  return String(value);
}

function typedCell(type: PrinterColumn['type'], value: JsonValue, now: Date): CellValue {
  switch (type) {
    case 'string':
      return stringCell(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      if (value === '') return '<unknown>';
      const ms = parseTime(value);
      return ms === undefined ? '<invalid>' : humanDuration(now.getTime() - ms);
    }
  }
}

/** A CRD with no printer columns gets AGE alone, as the apiextensions server defaults it. */
export function crdPrinter(printerColumns: readonly PrinterColumn[]): Printer {
  const effective = printerColumns.length > 0 ? printerColumns : [AGE_PRINTER_COLUMN];
  const paths = effective.map((c) => parseJsonPath(c.jsonPath));
  const columns: ColumnDefinition[] = [
    NAME_COLUMN,
    ...effective.map((c) =>
      column(c.name, c.type, c.description ?? `Custom resource definition column (in JSONPath format): ${c.jsonPath}`, {
        priority: c.priority ?? 0,
        format: c.format ?? '',
      }),
    ),
  ];
  return {
    columns,
    cells(item, now) {
      return [
        item.metadata.name ?? '',
        ...effective.map((c, i) => {
          const first = evaluateJsonPath(item, paths[i]!)[0];
          return first === undefined ? null : typedCell(c.type, first, now);
        }),
      ];
    },
  };
}

// Columns copied from istio/istio manifests/charts/base/files/crd-all.gen.yaml (the same for
// every served version) and from the Gateway API standard-channel CRDs.
const ISTIO_COLUMNS: Record<string, PrinterColumn[]> = {
  'networking.istio.io/Gateway': [],
  'networking.istio.io/VirtualService': [
    { name: 'Gateways', type: 'string', jsonPath: '.spec.gateways', description: 'The names of gateways and sidecars that should apply these routes' },
    { name: 'Hosts', type: 'string', jsonPath: '.spec.hosts', description: 'The destination hosts to which traffic is being sent' },
    AGE_PRINTER_COLUMN,
  ],
  'networking.istio.io/DestinationRule': [
    { name: 'Host', type: 'string', jsonPath: '.spec.host', description: 'The name of a service from the service registry' },
    AGE_PRINTER_COLUMN,
  ],
  'networking.istio.io/ServiceEntry': [
    { name: 'Hosts', type: 'string', jsonPath: '.spec.hosts', description: 'The hosts associated with the ServiceEntry' },
    { name: 'Location', type: 'string', jsonPath: '.spec.location', description: 'Whether the service is external to the mesh or part of the mesh (MESH_EXTERNAL or MESH_INTERNAL)' },
    { name: 'Resolution', type: 'string', jsonPath: '.spec.resolution', description: 'Service resolution mode for the hosts (NONE, STATIC, or DNS)' },
    AGE_PRINTER_COLUMN,
  ],
  'security.istio.io/PeerAuthentication': [
    { name: 'Mode', type: 'string', jsonPath: '.spec.mtls.mode', description: 'Defines the mTLS mode used for peer authentication.' },
    AGE_PRINTER_COLUMN,
  ],
};

const GATEWAY_API_COLUMNS: Record<string, PrinterColumn[]> = {
  'gateway.networking.k8s.io/GatewayClass': [
    { name: 'Controller', type: 'string', jsonPath: '.spec.controllerName' },
    { name: 'Accepted', type: 'string', jsonPath: '.status.conditions[?(@.type=="Accepted")].status' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    { name: 'Description', type: 'string', jsonPath: '.spec.description', priority: 1 },
  ],
  'gateway.networking.k8s.io/Gateway': [
    { name: 'Class', type: 'string', jsonPath: '.spec.gatewayClassName' },
    { name: 'Address', type: 'string', jsonPath: '.status.addresses[*].value' },
    { name: 'Programmed', type: 'string', jsonPath: '.status.conditions[?(@.type=="Programmed")].status' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
  'gateway.networking.k8s.io/HTTPRoute': [
    { name: 'Hostnames', type: 'string', jsonPath: '.spec.hostnames' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ],
};

export const CUSTOM_RESOURCE_COLUMNS: Readonly<Record<string, readonly PrinterColumn[]>> = {
  ...ISTIO_COLUMNS,
  ...GATEWAY_API_COLUMNS,
};
