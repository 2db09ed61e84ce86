import { describe, expect, it } from 'vitest';
import { CLOSE_UNAUTHORIZED, EventStream, type SocketLike, type StreamStatus } from './events';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  onmessage: SocketLike['onmessage'] = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  deliver(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

function harness(baseUrls = ['http://a:8081', 'http://b:8082']) {
  const sockets: FakeSocket[] = [];
  const statuses: StreamStatus[] = [];
  const timers: (() => void)[] = [];
  const stream = new EventStream({
    baseUrls,
    token: 'tok',
    openSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    onStatus: (status) => statuses.push(status),
    schedule: (callback) => timers.push(callback),
    cancel: () => undefined,
  });
  return { stream, sockets, statuses, runTimers: () => timers.splice(0).forEach((timer) => timer()) };
}

describe('EventStream', () => {
  it('subscribes its topics once open and delivers events by topic', () => {
    const { stream, sockets } = harness();
    const seen: unknown[] = [];
    stream.subscribe('cluster', (data) => seen.push(data));
    expect(sockets[0].url).toBe('ws://a:8081/api/v1/events?token=tok');
    sockets[0].open();
    expect(sockets[0].sent).toEqual([{ type: 'subscribe', topic: 'cluster' }]);
    sockets[0].deliver({ type: 'event', topic: 'cluster', data: { leaderId: 2 } });
    sockets[0].deliver({ type: 'event', topic: 'services', data: {} });
    sockets[0].deliver({ type: 'error', message: 'bad' });
    expect(seen).toEqual([{ leaderId: 2 }]);
    expect(stream.status).toBe('live');
  });

  it('reconnects to the next coordinator and subscribes again after a drop', () => {
    const { stream, sockets, statuses, runTimers } = harness();
    stream.subscribe('config:ns', () => undefined);
    sockets[0].open();
    sockets[0].drop();
    expect(stream.status).toBe('offline');
    runTimers();
    expect(sockets[1].url).toContain('ws://b:8082/');
    sockets[1].open();
    expect(sockets[1].sent).toEqual([{ type: 'subscribe', topic: 'config:ns' }]);
    expect(statuses).toEqual(['live', 'offline', 'connecting', 'live']);
  });

  it('unsubscribes when the last listener of a topic leaves', () => {
    const { stream, sockets } = harness();
    sockets[0].open();
    const stopA = stream.subscribe('audit', () => undefined);
    const stopB = stream.subscribe('audit', () => undefined);
    stopA();
    expect(sockets[0].sent).toEqual([{ type: 'subscribe', topic: 'audit' }]);
    stopB();
    expect(sockets[0].sent).toEqual([
      { type: 'subscribe', topic: 'audit' },
      { type: 'unsubscribe', topic: 'audit' },
    ]);
  });

  it('stops trying when the server refuses the token (4401)', () => {
    const { stream, sockets, runTimers } = harness();
    sockets[0].open();
    sockets[0].drop(CLOSE_UNAUTHORIZED);
    runTimers();
    expect(stream.status).toBe('unauthorized');
    expect(sockets).toHaveLength(1);
  });
});
