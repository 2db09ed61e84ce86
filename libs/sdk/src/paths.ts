// Client-side znode paths: validation (as PathUtils.validatePath), chroot prefixing and stripping.
// The session always speaks server paths; the API always speaks client paths (relative to the chroot).
import { BadArgumentsError } from './errors';

/** Throws BadArgumentsError unless `path` is a valid znode path; a sequential create may end in '/'. */
export function validatePath(path: string, isSequential = false): void {
  const reason = pathProblem(path, isSequential);
  if (reason !== undefined) throw new BadArgumentsError(path, `invalid path ${JSON.stringify(path)}: ${reason}`);
}

function pathProblem(path: string, isSequential: boolean): string | undefined {
  if (path.length === 0) return 'empty';
  if (path[0] !== '/') return 'must start with /';
  if (path === '/') return undefined;
  if (path.endsWith('/') && !isSequential) return 'must not end with /';
  const segments = (isSequential && path.endsWith('/') ? path.slice(1, -1) : path.slice(1)).split('/');
  for (const segment of segments) {
    if (segment === '') return 'empty segment';
    if (segment === '.' || segment === '..') return `relative segment ${segment}`;
    if ([...segment].some(isInvalidCharacter)) return 'invalid character';
  }
  return undefined;
}

/** The characters PathUtils refuses: controls, surrogates and private use, and the last specials block. */
function isInvalidCharacter(character: string): boolean {
  const code = character.charCodeAt(0);
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || (code >= 0xd800 && code <= 0xf8ff) || (code >= 0xfff0 && code <= 0xffff);
}

/** The parent of a path ("/a/b" → "/a", "/a" → "/"); "/" has none. */
export function parentOf(path: string): string | undefined {
  if (path === '/') return undefined;
  const slash = path.lastIndexOf('/');
  return slash === 0 ? '/' : path.slice(0, slash);
}

/** The last segment of a path ("/a/b" → "b"). */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `parent` + "/" + `child`, without doubling the root's slash. */
export function joinPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}

/** Maps client paths to server paths and back for one chroot ("" = none). */
export class Chroot {
  constructor(readonly prefix: string) {
    if (prefix !== '') validatePath(prefix);
  }

  toServer(clientPath: string): string {
    if (this.prefix === '') return clientPath;
    return clientPath === '/' ? this.prefix : this.prefix + clientPath;
  }

  /** A server path as the client sees it; paths outside the chroot are returned unchanged. */
  toClient(serverPath: string): string {
    if (this.prefix === '') return serverPath;
    if (serverPath === this.prefix) return '/';
    if (serverPath.startsWith(`${this.prefix}/`)) return serverPath.slice(this.prefix.length);
    return serverPath;
  }
}
