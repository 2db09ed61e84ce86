// Read-only mode against a real 3-member coordinator ensemble with readonlymode.enabled: with two members down the
// third serves reads only; a canBeReadOnly client connects there (connectedReadOnly), reads, gets NotReadOnlyError
// for writes, and once the quorum is back moves to a read-write server on its own (a new session: seenRwServerBefore).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZooKeeperClient } from './client';
import { NotReadOnlyError } from './errors';
import { toText } from './data';
import { useServer, waitFor } from './testing';

describe('read-only mode against a coordinator ensemble', () => {
  const server = useServer('coordinator', { readOnlyMode: true });
  let admin: ZooKeeperClient;
  const base = `/sdk-read-only-${Date.now()}`;

  beforeAll(async () => {
    admin = await ZooKeeperClient.connect(server.get().connectString);
    await admin.create(base, 'before');
  });
  afterAll(async () => {
    await admin?.close();
  });

  it('is a real ensemble: three members, one leader, two followers', async () => {
    const modes = await Promise.all(server.get().members.map((member) => member.mode()));
    expect(modes.sort()).toEqual(['follower', 'follower', 'leader']);
  });

  it('connects read-only to a member without a quorum, reads, refuses writes, and moves to read-write once the quorum is back', async () => {
    const { members, connectString } = server.get();
    const [first, second, survivor] = members;
    await Promise.all([first.stop(), second.stop()]);
    await waitFor(async () => (await survivor.isro()) === 'ro', 'the survivor to serve reads only', 20_000, 100);

    const client = await ZooKeeperClient.connect(connectString, { canBeReadOnly: true, sessionTimeoutMs: 4_000, readWriteProbeIntervalMaxMs: 500, connectTimeoutMs: 15_000 });
    const events: string[] = [];
    client.on('state', (event) => events.push(event));
    try {
      expect(client.state).toBe('connectedReadOnly');
      expect(client.isReadOnly).toBe(true);
      const readOnlySessionId = client.sessionId;
      expect(toText((await client.getData(base)).data)).toBe('before');
      await expect(client.setData(base, 'during')).rejects.toBeInstanceOf(NotReadOnlyError);
      await expect(client.create(`${base}/child`)).rejects.toBeInstanceOf(NotReadOnlyError);
      const watched: string[] = [];
      await client.getData(base, (event) => watched.push(event.type));

      first.start();
      second.start();
      await server.get().waitForLeader(30_000);
      await waitFor(() => client.state === 'connected', 'the client to move to a read-write server', 20_000);
      expect(client.isReadOnly).toBe(false);
      // The read-only session was the survivor's alone: the read-write server gave a new one ("connected", not "reconnected").
      expect(client.sessionId).not.toBe(readOnlySessionId);
      expect(events).toContain('connected');
      expect(events).not.toContain('reconnected');
      expect(events).not.toContain('expired');
      await client.setData(base, 'after');
      await client.create(`${base}/ephemeral`, null, { mode: 'ephemeral' });
      await admin.sync(`${base}/ephemeral`); // the client may be on another member: catch up before reading
      expect((await admin.exists(`${base}/ephemeral`))?.ephemeralOwner).toBe(client.sessionId);
      // The watch set while read-only was carried over (SetWatches2) and fires for the write.
      await waitFor(() => watched.length > 0, 'the watch set while read-only to fire');
      expect(watched).toEqual(['nodeDataChanged']);
    } finally {
      await client.close();
    }
  }, 120_000);
});
