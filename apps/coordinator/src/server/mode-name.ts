// ZooKeeper's names for a member's mode, as srvr, mntr, the cluster API and health print them.
import type { ReplicationStatus } from './server-core';

export type MemberRole = 'leader' | 'follower' | 'observer' | 'looking' | 'read-only' | 'standalone';

export function roleName(role: ReplicationStatus['role'], readOnly: boolean): MemberRole {
  if (readOnly) return 'read-only';
  switch (role) {
    case 'leading':
      return 'leader';
    case 'following':
      return 'follower';
    case 'observing':
      return 'observer';
    case 'looking':
      return 'looking';
    case 'standalone':
      return 'standalone';
  }
}
