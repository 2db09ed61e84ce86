// The platform API's bodies as the dashboard reads them (docs/platform-api.md is the contract; keep these in step).
export type Role = 'viewer' | 'editor' | 'admin';

export interface User {
  username: string;
  role: Role;
}

export interface LoginAnswer {
  token: string;
  expiresAt: number;
  user: User;
}

export type MemberRole = 'leader' | 'follower' | 'observer' | 'looking' | 'read-only' | 'standalone';

export interface LatencyMs {
  min: number;
  avg: number;
  max: number;
}

export interface Member {
  id: number;
  host: string;
  clientPort: number;
  adminPort: number;
  type: 'participant' | 'observer';
  reachable: boolean;
  role?: MemberRole;
  serving?: boolean;
  readOnly?: boolean;
  epoch?: number;
  lastZxid?: string;
  lagTxns?: number;
  connections?: number;
  outstandingRequests?: number;
  uptimeMs?: number;
  lastElectionAt?: number;
  znodes?: number;
  sessions?: number;
  latencyMs?: LatencyMs;
}

export interface Election {
  at: number;
  leaderId: number;
  epoch: number;
}

export interface Cluster {
  leaderId: number | null;
  epoch: number;
  answeredBy: number;
  members: Member[];
  elections: Election[];
}

export interface SessionInfo {
  sessionId: string;
  remote: string;
  timeoutMs: number;
  transport: 'tcp' | 'websocket';
  ephemerals: string[];
}

export interface Stat {
  czxid: string;
  mzxid: string;
  pzxid: string;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: string;
  dataLength: number;
  numChildren: number;
}

export interface AclEntry {
  scheme: string;
  id: string;
  perms: number | string;
}

export interface TreeNode {
  path: string;
  stat: Stat;
  data: string | null;
  encoding: 'utf8' | 'base64';
  children: string[];
  acl: AclEntry[];
}

export const CREATE_MODES = ['persistent', 'ephemeral', 'persistent_sequential', 'ephemeral_sequential', 'container', 'ttl'] as const;
export type CreateMode = (typeof CREATE_MODES)[number];

export interface ServiceSummary {
  name: string;
  providers: { total: number; healthy: number; unhealthy: number; disabled: number };
  consumers: number;
  policy: { strategy: string };
}

export interface HealthCheck {
  type: 'http' | 'tcp';
  target: string;
  intervalMs: number;
  lastResult?: string;
  lastCheckedAt?: number;
}

export interface Provider {
  id: string;
  host: string;
  port: number;
  weight: number;
  effectiveWeight: number;
  zone?: string;
  version?: string;
  metadata?: Record<string, unknown>;
  source: 'sdk' | 'http';
  sessionId?: string;
  registeredAt: number;
  healthy: boolean;
  disabled: boolean;
  check?: HealthCheck;
}

export interface Consumer {
  id: string;
  host: string;
  registeredAt: number;
  metadata?: Record<string, unknown>;
}

export const STRATEGIES = ['random', 'round-robin', 'weighted', 'least-outstanding', 'consistent-hash', 'sticky'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface Policy {
  strategy: Strategy;
  hashKey?: string;
  [option: string]: unknown;
}

export interface ServiceDetail {
  name: string;
  providers: Provider[];
  consumers: Consumer[];
  policy: Policy;
}

export const CONTENT_TYPES = ['text', 'json', 'yaml', 'properties'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

export interface NamespaceSummary {
  namespace: string;
  groups: number;
  keys: number;
}

export interface ConfigKeySummary {
  key: string;
  contentType: ContentType;
  version: number;
  modifiedAt: number;
  modifiedBy: string;
  gray: boolean;
}

export interface NamespaceDetail {
  namespace: string;
  groups: { group: string; keys: ConfigKeySummary[] }[];
}

export interface GrayRelease {
  value: string;
  contentType: ContentType;
  targets: string[];
}

export interface ConfigValue {
  namespace: string;
  group: string;
  key: string;
  value: string;
  contentType: ContentType;
  version: number;
  revision: number;
  modifiedAt: number;
  modifiedBy: string;
  comment?: string;
  gray?: GrayRelease;
}

export interface ConfigRevision {
  revision: number;
  version: number;
  value: string;
  contentType: ContentType;
  author: string;
  at: number;
  comment?: string;
}

export interface ConfigExport {
  namespace: string;
  exportedAt: number;
  items: { group: string; key: string; value: string; contentType: ContentType }[];
}

export interface ImportResult {
  created: number;
  updated: number;
  skipped: number;
}

export interface AuditEntry {
  at: number;
  user: string;
  action: string;
  target: string;
  beforeVersion?: number | null;
  afterVersion?: number | null;
  detail?: unknown;
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  currentVersion?: number | null;
}
