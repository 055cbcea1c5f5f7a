import { dirname } from 'node:path';
import { describeError } from '../kube/errors.js';

/** Why a file cannot be written, in words that say what to change (no errno jargon). */
export function writeFailure(error: unknown, path: string): string {
  const dir = dirname(path);
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return `cannot write ${path}: the directory ${dir} does not exist`;
    case 'ENOTDIR':
      return `cannot write ${path}: part of the path is a file, not a directory`;
    case 'EACCES':
    case 'EPERM':
      return `cannot write ${path}: no permission to write in ${dir} (or to replace that file)`;
    case 'EISDIR':
      return `cannot write ${path}: it is a directory; name a file`;
    case 'EROFS':
      return `cannot write ${path}: ${dir} is on a read-only file system`;
    case 'ENOSPC':
      return `cannot write ${path}: the disk is full`;
    default:
      return `cannot write ${path}: ${describeError(error)}`;
  }
}
