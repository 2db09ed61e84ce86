// Three real participants with snapSizeLimitInKb set low: a run of large values makes every member snapshot by
// bytes long before snapCount txns, so the log each one holds in memory since its last snapshot (ZabPeer's, for
// DIFF) stays bounded instead of growing by every value written; every acknowledged value is still read back.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ErrorCode, OpCode, Perm } from '@zk/wire';
import type { EnsembleMember } from './support/ensemble';
import { fourLetterWord } from './support/four-letter';
import { RawClient } from './support/raw-client';
import { useEnsemble } from './support/use-ensemble';
import { pollUntil } from './support/wait';

const SNAP_SIZE_KB = 1024;
/** What a member keeps below its newest snapshot for DIFFs (zab-replication.ts LOG_KEPT_BYTES). */
const KEPT_BELOW_SNAPSHOT_BYTES = 32 * 1024 * 1024;
const VALUE_BYTES = 500 * 1024;
/** 45 MiB in all: more than the log may hold (kept part + one snapshot's worth + a value in flight). */
const WRITES = 90;
const IN_FLIGHT = 4;
const OPEN_ACL = [{ perms: Perm.all, id: { scheme: 'world', id: 'anyone' } }];

async function mntrOf(member: EnsembleMember): Promise<Map<string, string>> {
  const text = await fourLetterWord(member.clientPort, 'mntr').catch(() => '');
  return new Map(text.trim().split('\n').map((line) => line.split('\t') as [string, string]));
}

describe('three participants with a snapshot byte bound', () => {
  const ensemble = useEnsemble({ participants: 3, tickTimeMs: 200, snapCount: 100_000, extraCfg: `snapSizeLimitInKb=${SNAP_SIZE_KB}`, name: 'ensemble-log-bound' });

  it('snapshots by bytes on every member and keeps ZAB\'s in-memory log bounded, every acknowledged value read back', async () => {
    const leader = await ensemble().waitForLeader();
    const client = await RawClient.connect(leader.clientPort);
    const valueOf = (i: number): Uint8Array => new Uint8Array(VALUE_BYTES).fill(i % 251);
    try {
      expect((await client.send({ op: OpCode.create, path: '/large', data: new Uint8Array(0), acl: OPEN_ACL, flags: 0 })).err).toBe(ErrorCode.ok);
      for (let next = 0; next < WRITES; next += IN_FLIGHT) {
        const batch = Array.from({ length: Math.min(IN_FLIGHT, WRITES - next) }, (_, k) => client.send({ op: OpCode.setData, path: '/large', data: valueOf(next + k), version: -1 }));
        for (const reply of await Promise.all(batch)) expect(reply.err).toBe(ErrorCode.ok);
      }
    } finally {
      await client.close();
    }
    const written = WRITES * VALUE_BYTES;
    const bound = KEPT_BELOW_SNAPSHOT_BYTES + SNAP_SIZE_KB * 1024 + IN_FLIGHT * VALUE_BYTES;
    expect(written).toBeGreaterThan(bound);

    for (const member of ensemble().members) {
      // A snapshot is built in a child process and the log compacted once it is durable: wait for that.
      const logBytes = await pollUntil(
        async () => {
          const bytes = Number((await mntrOf(member)).get('zk_zab_log_bytes'));
          return Number.isFinite(bytes) && bytes <= bound ? bytes : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 200, what: `member ${member.id}'s ZAB log to be compacted below ${bound} bytes` },
      );
      expect(logBytes).toBeLessThan(written);
      expect(readFileSync(member.logPath, 'utf8')).toMatch(/snapshot taken/);
      const reader = await RawClient.connect(member.clientPort);
      try {
        await reader.send({ op: OpCode.sync, path: '/large' });
        const reply = await reader.send({ op: OpCode.getData, path: '/large', watch: false });
        expect(reply.err).toBe(ErrorCode.ok);
        const data = reply.response && 'data' in reply.response ? reply.response.data : new Uint8Array(0);
        expect(Buffer.from(data).equals(Buffer.from(valueOf(WRITES - 1)))).toBe(true);
      } finally {
        await reader.close();
      }
    }
  }, 120_000);
});
