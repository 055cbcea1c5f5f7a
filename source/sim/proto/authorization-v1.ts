// authorization.k8s.io/v1 self reviews, as `kubectl auth can-i` (and `--list`) sends them.

import { decodeObjectMeta } from './object-meta.js';
import { METADATA, SPEC, type BodyDecoder } from './decoded-body.js';
import { omitEmpty } from './omit-empty.js';

export const decodeSelfSubjectAccessReview: BodyDecoder = (raw) => {
  const spec = raw.message(SPEC, 'spec');
  const resource = spec?.message(1, 'resourceAttributes');
  const nonResource = spec?.message(2, 'nonResourceAttributes');
  return {
    metadata: decodeObjectMeta(raw.message(METADATA, 'metadata')),
    spec: {
      // Pointers in Go: which of the two is present tells a resource check from a URL check.
      ...(resource
        ? {
            resourceAttributes: omitEmpty({
              namespace: resource.string(1),
              verb: resource.string(2),
              group: resource.string(3),
              version: resource.string(4),
              resource: resource.string(5),
              subresource: resource.string(6),
              name: resource.string(7),
            }),
          }
        : {}),
      ...(nonResource ? { nonResourceAttributes: omitEmpty({ path: nonResource.string(1), verb: nonResource.string(2) }) } : {}),
    },
  };
};

export const decodeSelfSubjectRulesReview: BodyDecoder = (raw) => ({
  metadata: decodeObjectMeta(raw.message(METADATA, 'metadata')),
  spec: omitEmpty({ namespace: raw.message(SPEC, 'spec')?.string(1) }),
});
