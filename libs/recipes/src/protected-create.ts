// Curator's "protected" ephemeral-sequential create: the name carries a random marker, so when the reply to
// a create is lost with the connection, the client finds its own node again instead of leaking a duplicate.
import { randomUUID } from 'node:crypto';
import { ConnectionLossError, joinPath, NoNodeError, type ZooKeeperClient } from '@zk/sdk';

const RETRIES_MAX = 3;

/** Creates `{parent}/_c_{uuid}-{name}{sequence}` (ephemeral sequential), creating `parent` if missing; returns its path. */
export async function createProtectedSequential(client: ZooKeeperClient, parent: string, name: string, data: string | null = null): Promise<string> {
  const marker = `_c_${randomUUID()}-`;
  const prefix = joinPath(parent, `${marker}${name}`);
  for (let attempt = 0; ; attempt++) {
    try {
      return (await client.create(prefix, data, { mode: 'ephemeralSequential' })).path;
    } catch (error) {
      if (error instanceof NoNodeError && attempt === 0) {
        await client.mkdirp(parent);
        continue;
      }
      if (!(error instanceof ConnectionLossError) || attempt >= RETRIES_MAX) throw error;
      // The create may have been applied before the connection dropped: look for our marker first.
      const mine = (await client.getChildren(parent)).find((child) => child.startsWith(marker));
      if (mine !== undefined) return joinPath(parent, mine);
    }
  }
}
