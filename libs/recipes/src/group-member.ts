// Group membership (Curator's GroupMember): this process is an ephemeral node under the group, kept through
// session expiry; members() lists everyone with their payloads.
import { joinPath, NoNodeError, toText, type ZooKeeperClient } from '@zk/sdk';
import { PersistentEphemeralNode } from './persistent-ephemeral-node';
import { checkName } from './service-layout';

export class GroupMember {
  private readonly node: PersistentEphemeralNode;

  constructor(
    private readonly client: ZooKeeperClient,
    readonly groupPath: string,
    readonly memberId: string,
    payload = '',
  ) {
    this.node = new PersistentEphemeralNode(client, joinPath(groupPath, checkName('member', memberId)), payload);
  }

  /** Resolves once this member is visible. */
  ready(): Promise<void> {
    return this.node.ready();
  }

  setPayload(payload: string): Promise<void> {
    return this.node.setData(payload);
  }

  /** Every member's id and payload. */
  async members(): Promise<Map<string, string>> {
    let ids: string[];
    try {
      ids = await this.client.getChildren(this.groupPath);
    } catch (error) {
      if (error instanceof NoNodeError) return new Map();
      throw error;
    }
    const entries = await Promise.all(
      ids.map(async (id): Promise<[string, string] | undefined> => {
        try {
          return [id, toText((await this.client.getData(joinPath(this.groupPath, id))).data)];
        } catch (error) {
          if (error instanceof NoNodeError) return undefined;
          throw error;
        }
      }),
    );
    return new Map(entries.filter((entry): entry is [string, string] => entry !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  close(): Promise<void> {
    return this.node.close();
  }
}
