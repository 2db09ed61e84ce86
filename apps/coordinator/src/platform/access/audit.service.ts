// The audit trail in the tree (/zk-platform/audit/a-NNNNNNNNNN, one persistent sequential node per change), so
// every member lists the same; the leader keeps the newest AUDIT_KEPT entries.
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ROOT_LOGGER } from '../../tokens';
import type { Logger } from '../../util/logger';
import { platformPaths } from '../shared/platform-paths';
import { PlatformState } from '../shared/platform-state';
import { PlatformZk } from '../shared/platform-zk';

export interface AuditEntry {
  at: number;
  user: string;
  action: string;
  target: string;
  beforeVersion: number | null;
  afterVersion: number | null;
  detail?: string;
}

export const AUDIT_KEPT = 5_000;
export const AUDIT_LIST_MAX = 1_000;

@Injectable()
export class AuditService implements OnModuleInit {
  private readonly log: Logger;

  constructor(
    @Inject(PlatformZk) private readonly zk: PlatformZk,
    @Inject(PlatformState) private readonly state: PlatformState,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'audit' });
  }

  onModuleInit(): void {
    this.state.onLeader('audit-trim', 30_000, () => this.trim());
  }

  /** Writes one entry; a failure is logged, never thrown (the change itself has happened). */
  async record(entry: Omit<AuditEntry, 'at'>): Promise<void> {
    const full: AuditEntry = { at: Date.now(), ...entry };
    try {
      await this.zk.run((client) => client.create(platformPaths.auditEntryPrefix, JSON.stringify(full), { mode: 'persistentSequential' }));
    } catch (error) {
      this.log.error('could not write an audit entry', { entry: JSON.stringify(full), error: String(error) });
    }
  }

  /** Newest first; `before` (epoch ms) pages back. */
  async list(limit: number, before?: number): Promise<AuditEntry[]> {
    await this.zk.sync();
    const names = (await this.zk.children(platformPaths.audit)).sort().reverse();
    const result: AuditEntry[] = [];
    for (let start = 0; start < names.length && result.length < limit; start += 200) {
      const slice = names.slice(start, start + 200);
      const reads = await this.zk.readMany(slice.map((name) => `${platformPaths.audit}/${name}`));
      for (const read of reads) {
        if (!read) continue;
        try {
          const entry = JSON.parse(read.text) as AuditEntry;
          if (before !== undefined && entry.at >= before) continue;
          result.push(entry);
          if (result.length >= limit) break;
        } catch {
          // Not ours: skip.
        }
      }
    }
    return result;
  }

  private async trim(): Promise<void> {
    const names = (await this.zk.children(platformPaths.audit)).sort();
    for (const name of names.slice(0, Math.max(0, names.length - AUDIT_KEPT))) {
      await this.zk.run((client) => client.delete(`${platformPaths.audit}/${name}`)).catch(() => undefined);
    }
  }
}
