import { join } from 'node:path';

/** The command users run: the bundle `npm run build` makes (package.json `bin`), not the compiled tree. */
export const meshdeckMain = join(import.meta.dirname, '..', '..', 'dist', 'bundle', 'meshdeck.js');
