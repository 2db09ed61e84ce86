// ZooKeeper's digest scheme: the id of "user:password" is "user:" + base64(sha1("user:password")).
// Lives at the edge because it hashes; the tree only compares the resulting ids.
import { createHash } from 'node:crypto';

export function digestId(userAndPassword: string): string {
  const colon = userAndPassword.indexOf(':');
  const user = colon < 0 ? userAndPassword : userAndPassword.slice(0, colon);
  return `${user}:${createHash('sha1').update(userAndPassword, 'utf8').digest('base64')}`;
}
