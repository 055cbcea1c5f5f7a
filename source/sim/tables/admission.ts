// Admission webhook configurations: how many webhooks each registers.
import { AGE_COLUMN, NAME_COLUMN, column, type Printer } from './columns.js';
import { list } from './fields.js';
import { since } from './format.js';

export const webhookConfigurationPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Webhooks', 'integer', 'Webhooks indicates the number of webhooks registered in this configuration'),
    AGE_COLUMN,
  ],
  cells(config, now) {
    return [config.metadata.name ?? '', list(config.webhooks).length, since(config.metadata.creationTimestamp, now)];
  },
};
