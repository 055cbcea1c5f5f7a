// npm links `bin` entries itself, but a direct `./dist/cli/main.js` run needs the mode bit.
import { chmodSync, existsSync } from 'node:fs';
const entry = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(entry)) chmodSync(entry, 0o755);
