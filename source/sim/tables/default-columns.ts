// What a real API server sends for a built-in kind that has no printer of its own
// (Role, ClusterRole, CustomResourceDefinition, ...): rest.DefaultTableConvertor's NAME and
// CREATED AT, the latter a raw RFC3339 time that kubectl prints as is.
import { NAME_COLUMN, column, type Printer } from './columns.js';
import { rfc3339 } from './format.js';

export const defaultPrinter: Printer = {
  columns: [NAME_COLUMN, column('Created At', 'date', 'CreationTimestamp is the server time when this object was created.')],
  cells(item) {
    return [item.metadata.name ?? '', rfc3339(item.metadata.creationTimestamp)];
  },
};
