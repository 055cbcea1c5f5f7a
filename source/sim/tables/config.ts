// ConfigMap, Secret and ServiceAccount: name, a count, age.
import { AGE_COLUMN, NAME_COLUMN, column, type Printer } from './columns.js';
import { keyCount, list, obj, str } from './fields.js';
import { since } from './format.js';

export const configMapPrinter: Printer = {
  columns: [NAME_COLUMN, column('Data', 'string', 'Data contains the configuration data.'), AGE_COLUMN],
  cells(configMap, now) {
    return [
      configMap.metadata.name ?? '',
      keyCount(configMap.data) + keyCount(configMap.binaryData),
      since(configMap.metadata.creationTimestamp, now),
    ];
  },
};

export const secretPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    column('Data', 'string', 'Data contains the secret data.'),
    AGE_COLUMN,
  ],
  cells(secret, now) {
    // A real server folds stringData into data on write and defaults the type to Opaque; a
    // simulated store may hold the object as written, so count the union.
    const keys = new Set([...Object.keys(obj(secret.data) ?? {}), ...Object.keys(obj(secret.stringData) ?? {})]);
    return [secret.metadata.name ?? '', str(secret.type) || 'Opaque', keys.size, since(secret.metadata.creationTimestamp, now)];
  },
};

export const serviceAccountPrinter: Printer = {
  columns: [NAME_COLUMN, column('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), AGE_COLUMN],
  cells(account, now) {
    return [account.metadata.name ?? '', list(account.secrets).length, since(account.metadata.creationTimestamp, now)];
  },
};
