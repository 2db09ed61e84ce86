// Sessions: timeout negotiation within the configured bounds, re-attaching by id and password after a dropped
// connection, and what a wrong password, an unknown id or a closed session get back.
import { CreateFlag } from '@zk/wire';
import { fourLetterWord } from '../support/four-letter';
import { SessionRefusedError, type RawConnectOptions } from '../support/raw-client';
import { RawOps } from '../support/raw-ops';
import type { Scenario, ScenarioContext } from '../support/scenario';

/** Connects and closes again, recording the ConnectResponse, or the refusal the server sent. */
async function handshake(context: ScenarioContext, options: RawConnectOptions): Promise<Record<string, unknown>> {
  try {
    const client = await context.raw(options);
    const { timeOut, sessionId, passwd, readOnly } = client.session;
    return { accepted: true, timeOut, sessionId, passwdBytes: passwd.length, readOnly };
  } catch (error) {
    if (!(error instanceof SessionRefusedError)) return { accepted: false, error: error instanceof Error ? error.message : String(error) };
    const { timeOut, sessionId, passwd, readOnly } = error.response;
    return { accepted: false, timeOut, sessionId, passwdBytes: passwd.length, readOnly };
  }
}

export const sessionScenarios: Scenario[] = [
  {
    slug: 'session-timeout-negotiation',
    title: 'the session timeout is clamped to [minSessionTimeout, maxSessionTimeout] (2 ticks by default, 30 s here)',
    async run(context) {
      const { rec } = context;
      for (const requestedMs of [1, 100, 499, 500, 2_000, 10_000, 30_000, 30_001, 600_000]) {
        const client = await context.raw({ sessionTimeoutMs: requestedMs });
        rec(`request ${requestedMs} ms`, { timeOut: client.session.timeOut, passwdBytes: client.session.passwd.length, readOnly: client.session.readOnly });
      }
    },
  },
  {
    slug: 'session-reattach',
    title: 'a session survives a dropped connection and re-attaches with its password; a wrong one or a closed session is refused',
    timeoutMs: 20_000,
    async run(context) {
      const { rec, path } = context;
      const first = await context.raw({ sessionTimeoutMs: 10_000 });
      const observer = new RawOps(await context.raw());
      rec('create -e /e', await new RawOps(first).create(path('/e'), { flags: CreateFlag.ephemeral }));
      const { sessionId, passwd } = first.session;
      first.destroy();
      rec('observer exists /e after the drop', await observer.exists(path('/e')));
      rec('re-attach with a wrong password', await handshake(context, { sessionId, passwd: new Uint8Array(16).fill(7), sessionTimeoutMs: 10_000 }));
      rec('re-attach to an unknown session id', await handshake(context, { sessionId: sessionId + 977n, passwd, sessionTimeoutMs: 10_000 }));
      const again = await context.raw({ sessionId, passwd, sessionTimeoutMs: 10_000 });
      rec('re-attach with the right password', { sessionId: again.sessionId, timeOut: again.session.timeOut, samePassword: Buffer.compare(again.session.passwd, passwd) === 0 });
      const ops = new RawOps(again);
      rec('exists /e from the re-attached session', await ops.exists(path('/e')));
      rec('getEphemerals from the re-attached session', await ops.getEphemerals(path('')));
      await again.close();
      rec('observer exists /e after closeSession', await observer.exists(path('/e')));
      rec('re-attach to the closed session', await handshake(context, { sessionId, passwd, sessionTimeoutMs: 10_000 }));
    },
  },
  {
    slug: 'four-letter-words',
    title: 'ruok and isro on the client port answer like ZooKeeper; a session still works alongside them',
    async run({ port, raw, rec, path }) {
      rec('ruok', await fourLetterWord(port, 'ruok'));
      rec('isro', await fourLetterWord(port, 'isro'));
      const ops = new RawOps(await raw());
      rec('create /after', await ops.create(path('/after')));
    },
  },
];
