// The normalisers decide what counts as "the same behaviour": their rules are pinned here, table by table.
import { describe, expect, it } from 'vitest';
import { normaliseCliOutput } from './cli-mt';
import { normaliseTranscript } from './normalise';

const START_MS = 1_700_000_000_000;
const context = { sessionIds: [0x1000aan, 0x1000bbn], startedAtMs: START_MS, endedAtMs: START_MS + 1_000 };

function stat(czxid: bigint, mzxid: bigint, ctime: number, mtime: number, owner = 0n) {
  return {
    czxid,
    mzxid,
    ctime: BigInt(ctime),
    mtime: BigInt(mtime),
    version: 0,
    cversion: 0,
    aversion: 0,
    ephemeralOwner: owner,
    dataLength: 0,
    numChildren: 0,
    pzxid: czxid,
  };
}

describe('normaliseTranscript', () => {
  it('names zxids by first appearance, times by their txn, sessions by connection order', () => {
    const lines = normaliseTranscript(
      [
        { label: 'create', value: { zxid: 0x500n, stat: stat(0x500n, 0x500n, START_MS + 10, START_MS + 10, 0x1000bbn) } },
        { label: 'set', value: stat(0x500n, 0x4ffn, START_MS + 10, START_MS + 20) },
      ],
      context,
    );
    expect(lines).toEqual([
      'create → {"zxid":"Z1","stat":"Stat{czxid=Z1 mzxid=Z1 ctime=T(Z1) mtime=T(Z1) version=0 cversion=0 aversion=0 ephemeralOwner=S2 dataLength=0 numChildren=0 pzxid=Z1}"}',
      'set → "Stat{czxid=Z1 mzxid=Z2 ctime=T(Z1) mtime=T(Z2) version=0 cversion=0 aversion=0 ephemeralOwner=0 dataLength=0 numChildren=0 pzxid=Z1}"',
      'zxid order: Z2 < Z1',
    ]);
  });

  it('flags a txn seen with two different times and a time outside the run', () => {
    const lines = normaliseTranscript(
      [
        { label: 'a', value: stat(7n, 7n, START_MS + 1, START_MS + 1) },
        { label: 'b', value: stat(7n, 7n, START_MS + 2, START_MS + 2) },
        { label: 'c', value: stat(8n, 8n, START_MS - 60_000, START_MS - 60_000) },
      ],
      context,
    );
    expect(lines.filter((line) => line.startsWith('!!'))).toEqual([
      `!! b.ctime: txn Z1 has two times (${START_MS + 1} and ${START_MS + 2})`,
      `!! b.mtime: txn Z1 has two times (${START_MS + 1} and ${START_MS + 2})`,
      `!! c.ctime: time ${START_MS - 60_000} outside the scenario's run`,
      `!! c.mtime: time ${START_MS - 60_000} outside the scenario's run`,
    ]);
  });

  it.each([
    ['a container marker', -(2n ** 63n), '0x8000000000000000'],
    ['an unknown session', 0x777n, 'S?3'],
    ['no owner', 0n, '0'],
  ])('shows %s in ephemeralOwner as %s', (_name, owner, shown) => {
    const [line] = normaliseTranscript([{ label: 'x', value: { ephemeralOwner: owner } }], context);
    expect(line).toBe(`x → {"ephemeralOwner":"${shown}"}`);
  });

  it('sorts children lists and keeps other arrays in order', () => {
    const [line] = normaliseTranscript([{ label: 'ls', value: { children: ['b', 'a'], events: ['y', 'x'] } }], context);
    expect(line).toBe('ls → {"children":["a","b"],"events":["y","x"]}');
  });
});

describe('normaliseCliOutput', () => {
  it('replaces session ids, zxids, dates, timings, log prefixes and ports, and sorts ls output', () => {
    const text = normaliseCliOutput(
      {
        stdout: 'session Id = 100000fb9b30001\n',
        stderr: [
          '2026-11-25 08:52:10,800:12804(0x7f8a2ce106c0):ZOO_ERROR@check_events@2985: Socket 127.0.0.1:2181 failed',
          'Got a new session id: 0x100000fb9b30001',
          'time = 505 msec',
          '/: rc = 0',
          '\tzookeeper',
          '\tb',
          '\ta',
          '\tctime = Wed Nov 25 08:52:55 2026',
          '\tczxid=a',
          '\tmtime=Thu Jan  1 00:00:00 1970',
          '\tmzxid=0',
          '\tephemeralOwner = 100000fb9b30001',
        ].join('\n'),
      },
      2181,
    );
    expect(text.split('\n')).toEqual([
      '--- stdout',
      'session Id = S1',
      '',
      '--- stderr',
      'ZOO_ERROR@check_events: Socket 127.0.0.1:<port> failed',
      'Got a new session id: S1',
      '/: rc = 0',
      '\ta',
      '\tb',
      '\tzookeeper',
      '\tctime = <date>',
      '\tczxid=Z1',
      '\tmtime=Thu Jan  1 00:00:00 1970',
      '\tmzxid=0',
      '\tephemeralOwner = S1',
    ]);
  });
});
