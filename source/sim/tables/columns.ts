// Column and printer shapes for meta.k8s.io/v1 Table responses.
import type { JsonObject, KubeObject } from '../objects.js';

export type CellValue = string | number | boolean | null;

export interface ColumnDefinition extends JsonObject {
  name: string;
  /** OpenAPI type: string, integer, number, boolean or date. */
  type: string;
  /** 'name' marks the column kubectl prefixes with kind/ for `get -o name`-like output. */
  format: string;
  description: string;
  /** 0 always shown; 1 shown only with `-o wide`. */
  priority: number;
}

export interface Printer {
  columns: readonly ColumnDefinition[];
  /**
   * One cell per column, wide columns included: the real server always renders the wide
   * form and leaves hiding priority>0 columns to kubectl.
   */
  cells(item: KubeObject, now: Date): CellValue[];
  /** Row conditions, e.g. Completed for finished pods. */
  conditions?(item: KubeObject): JsonObject[] | undefined;
}

export function column(
  name: string,
  type: string,
  description: string,
  options: { priority?: number; format?: string } = {},
): ColumnDefinition {
  return { name, type, format: options.format ?? '', description, priority: options.priority ?? 0 };
}

export function wide(name: string, description: string): ColumnDefinition {
  return column(name, 'string', description, { priority: 1 });
}

export const NAME_COLUMN = column('Name', 'string', 'Name must be unique within a namespace.', { format: 'name' });

/** Built-in printers send AGE as an already humanized string. */
export const AGE_COLUMN = column('Age', 'string', 'CreationTimestamp is the server time when this object was created.');

export const CONTAINERS_COLUMN = wide('Containers', 'Names of each container in the template.');
export const IMAGES_COLUMN = wide('Images', 'Images referenced by each container in the template.');
