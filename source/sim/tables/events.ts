// Core v1 Event. Its columns lead with LAST SEEN and hide NAME behind -o wide.
import type { KubeObject } from '../objects.js';
import { NAME_COLUMN, column, type Printer } from './columns.js';
import { at, int, obj, str } from './fields.js';
import { parseTime, since } from './format.js';

function seen(event: KubeObject, now: Date): { first: string; last: string; count: number } {
  // Events written through events.k8s.io carry only eventTime (and a series), not the legacy stamps.
  const firstMs = parseTime(event.firstTimestamp) ?? parseTime(event.eventTime);
  const first = since(firstMs, now);
  let last = parseTime(event.lastTimestamp) === undefined ? first : since(event.lastTimestamp, now);
  let count = int(event.count);
  const series = obj(event.series);
  if (series) {
    last = since(series.lastObservedTime, now);
    count = int(series.count);
  } else if (count === 0) {
    count = 1;
  }
  return { first, last, count };
}

function source(event: KubeObject): string {
  const component = str(at(event, 'source', 'component')) || str(event.reportingComponent);
  const instance = str(at(event, 'source', 'host')) || str(event.reportingInstance);
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter: Printer = {
  columns: [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column('Reason', 'string', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
    column('Object', 'string', 'The object that this event is about.'),
    column('Subobject', 'string', 'The field of the involved object the event is about.', { priority: 1 }),
    column('Source', 'string', 'The component reporting this event.', { priority: 1 }),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'string', 'The time at which the event was first recorded.', { priority: 1 }),
    column('Count', 'string', 'The number of times this event has occurred.', { priority: 1 }),
    { ...NAME_COLUMN, priority: 1 },
  ],
  cells(event, now) {
    const { first, last, count } = seen(event, now);
    const involved = obj(event.involvedObject) ?? {};
    const kind = str(involved.kind).toLowerCase();
    const target = str(involved.name) ? `${kind}/${str(involved.name)}` : kind;
    return [
      last,
      str(event.type),
      str(event.reason),
      target,
      str(involved.fieldPath),
      source(event),
      str(event.message).trim(),
      first,
      count,
      event.metadata.name ?? '',
    ];
  },
};
