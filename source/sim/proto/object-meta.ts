// ObjectMeta as kubectl's generators fill it (apimachinery meta/v1 generated.proto numbering).
// Server-owned fields (uid, resourceVersion, timestamps, managedFields…) are not read: a create
// request has them empty, and the simulator assigns its own.

import type { ObjectMeta } from '../objects.js';
import type { FieldSet } from './field-set.js';
import { omitEmpty } from './omit-empty.js';

const NAME = 1;
const GENERATE_NAME = 2;
const NAMESPACE = 3;
const LABELS = 11;
const ANNOTATIONS = 12;

export function decodeObjectMeta(meta: FieldSet | undefined): ObjectMeta {
  if (!meta) return {};
  return omitEmpty({
    name: meta.string(NAME),
    generateName: meta.string(GENERATE_NAME),
    namespace: meta.string(NAMESPACE),
    labels: meta.stringMap(LABELS, 'labels'),
    annotations: meta.stringMap(ANNOTATIONS, 'annotations'),
  }) as ObjectMeta;
}
