// Where the platform keeps its own state in the tree (every member sees the same), beside the public layout
// of /services and /config (DESIGN.md).
export const PLATFORM_ROOT = '/zk-platform';

export const platformPaths = {
  root: PLATFORM_ROOT,
  secret: `${PLATFORM_ROOT}/token-secret`,
  users: `${PLATFORM_ROOT}/users`,
  user: (username: string) => `${PLATFORM_ROOT}/users/${username}`,
  audit: `${PLATFORM_ROOT}/audit`,
  auditEntryPrefix: `${PLATFORM_ROOT}/audit/a-`,
  members: `${PLATFORM_ROOT}/members`,
  member: (id: number) => `${PLATFORM_ROOT}/members/${id}`,
  elections: `${PLATFORM_ROOT}/elections`,
  electionPrefix: `${PLATFORM_ROOT}/elections/e-`,
  configHistory: `${PLATFORM_ROOT}/config-history`,
  keyHistory: (ns: string, group: string, key: string) => `${PLATFORM_ROOT}/config-history/${ns}/${group}/${key}`,
};

/** Nodes created at start-up by whichever member gets there first. */
export const PLATFORM_DIRECTORIES = [PLATFORM_ROOT, platformPaths.users, platformPaths.audit, platformPaths.members, platformPaths.elections, platformPaths.configHistory];
