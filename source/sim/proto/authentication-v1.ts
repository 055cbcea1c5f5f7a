// authentication.k8s.io/v1 TokenRequest, as `kubectl create token` sends it.

import { decodeObjectMeta } from './object-meta.js';
import { METADATA, SPEC, type BodyDecoder } from './decoded-body.js';
import { omitEmpty } from './omit-empty.js';

export const decodeTokenRequest: BodyDecoder = (raw) => {
  const spec = raw.message(SPEC, 'spec');
  const boundObjectRef = spec?.message(3, 'boundObjectRef');
  return {
    metadata: decodeObjectMeta(raw.message(METADATA, 'metadata')),
    spec: {
      ...omitEmpty({ audiences: spec?.strings(1) }),
      // Both are pointers in Go: absent means "server default", so only copy them when sent.
      ...(boundObjectRef
        ? {
            boundObjectRef: omitEmpty({
              kind: boundObjectRef.string(1),
              apiVersion: boundObjectRef.string(2),
              name: boundObjectRef.string(3),
              uid: boundObjectRef.string(4),
            }),
          }
        : {}),
      ...omitEmpty({ expirationSeconds: spec?.int(4) }),
    },
  };
};
