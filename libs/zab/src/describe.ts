// One readable line per message and per output: for logs in the quorum module and for the
// scripted conversation tests and simulator traces.

import type { Message } from './messages';
import type { Output, ServerId } from './types';
import { formatZxid } from './zxid';

const z = formatZxid;
const text = (p: Uint8Array): string => new TextDecoder().decode(p);

export function describeMessage(m: Message): string {
  switch (m.type) {
    case 'notification':
      return `NOTIFICATION(vote ${m.vote.leader} ${z(m.vote.zxid)} e${m.vote.epoch}, round ${m.round}, ${m.state})`;
    case 'followerInfo':
      return `${m.observer ? 'OBSERVERINFO' : 'FOLLOWERINFO'}(acceptedEpoch ${m.acceptedEpoch})`;
    case 'newEpoch':
      return `NEWEPOCH(${m.epoch})`;
    case 'ackEpoch':
      return `ACKEPOCH(epoch ${m.epoch}, currentEpoch ${m.currentEpoch}, lastZxid ${z(m.lastZxid)}${m.fresh ? '' : ', not fresh'})`;
    case 'diff':
      return `DIFF(from ${z(m.fromZxid)})`;
    case 'trunc':
      return `TRUNC(to ${z(m.truncZxid)})`;
    case 'snap':
      return `SNAP(at ${z(m.snapshotZxid)}, "${text(m.snapshot)}")`;
    case 'newLeader':
      return `NEWLEADER(epoch ${m.epoch}, ${z(m.zxid)})`;
    case 'upToDate':
      return `UPTODATE(commit ${z(m.commitZxid)})`;
    case 'proposal':
      return `PROPOSAL(${z(m.entry.zxid)} "${text(m.entry.payload)}")`;
    case 'ack':
      return `ACK(${z(m.zxid)})`;
    case 'commit':
      return `COMMIT(${z(m.zxid)})`;
    case 'inform':
      return `INFORM(${z(m.entry.zxid)} "${text(m.entry.payload)}")`;
    case 'ping':
      return m.zxid < 0n ? 'PING' : `PING(${z(m.zxid)})`;
  }
}

export function describeOutput(id: ServerId, o: Output): string {
  switch (o.kind) {
    case 'send':
      return `${id} → ${o.to}: ${describeMessage(o.message)}`;
    case 'persistEntries':
      return `${id} persists ${o.entries.map((e) => z(e.zxid)).join(' ')}`;
    case 'persistEpochs':
      return `${id} persists acceptedEpoch ${o.acceptedEpoch} currentEpoch ${o.currentEpoch}`;
    case 'truncateLog':
      return `${id} truncates after ${z(o.afterZxid)}`;
    case 'installSnapshot':
      return `${id} installs snapshot at ${z(o.zxid)} "${text(o.bytes)}"`;
    case 'deliver':
      return `${id} delivers ${z(o.zxid)} "${text(o.payload)}"`;
    case 'requestSnapshot':
      return `${id} asks for a snapshot`;
    case 'proposed':
      return `${id} proposed ${z(o.zxid)}`;
    case 'proposeRefused':
      return `${id} refuses the write: ${o.reason}`;
    case 'roleChanged':
      return `${id} is ${o.role}${o.serving ? ' (serving)' : ''}${o.leaderId !== null ? ` leader ${o.leaderId}` : ''} epoch ${o.epoch}`;
  }
}
