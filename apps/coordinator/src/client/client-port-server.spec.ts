// ClientPortServer.attach, the door for transports other than TCP (the WebSocket gateway): the same connection
// set, the same maxClientCnxns limit per address, the same handshake.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeConnectResponse, encodeConnectRequest } from '@zk/wire';
import { parseZooConfig } from '../config/zoo-config';
import { ServerCore } from '../server/server-core';
import { Logger } from '../util/logger';
import { ClientPortServer } from './client-port-server';
import type { ClientTransport } from './client-transport';

class FakeTransport implements ClientTransport {
  readonly written: Uint8Array[] = [];
  destroyed = false;
  ended = false;
  private readonly closeListeners: (() => void)[] = [];
  constructor(
    readonly remoteAddress: string,
    readonly remotePort: number,
  ) {}
  write(frame: Uint8Array): void {
    this.written.push(frame);
  }
  writePieces(pieces: readonly Uint8Array[]): void {
    this.written.push(Buffer.concat(pieces));
  }
  readonly calls: string[] = [];
  cork(): void {
    this.calls.push('cork');
  }
  uncork(): void {
    this.calls.push('uncork');
  }
  pause(): void {
    this.calls.push('pause');
  }
  resume(): void {
    this.calls.push('resume');
  }
  end(): void {
    this.ended = true;
    this.fireClose();
  }
  destroy(): void {
    this.destroyed = true;
    this.fireClose();
  }
  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }
  onError(): void {
    // A fake transport has no errors to report.
  }
  private fireClose(): void {
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}

describe('ClientPortServer.attach', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  const start = (extra: string): { server: ClientPortServer; logLines: string[] } => {
    const config = { ...parseZooConfig(`tickTime=200\ndataDir=/nonexistent\nclientPort=1\nclientPortAddress=127.0.0.1\n${extra}`), clientPort: 0 };
    const logLines: string[] = [];
    const logger = new Logger({ write: (line) => logLines.push(line) }, 'info', () => ({}));
    const core = new ServerCore(config, logger);
    core.start();
    const server = new ClientPortServer(core, logger);
    stop = async () => {
      await server.close();
      core.stop();
    };
    return { server, logLines };
  };

  it('serves an attached transport like a TCP socket and counts it with the others', async () => {
    const { server } = start('');
    const transport = new FakeTransport('10.0.0.1', 5000);
    const connection = server.attach(transport);
    expect(connection).toBeDefined();
    expect(server.connectionCount).toBe(1);
    connection?.receive(encodeConnectRequest({ protocolVersion: 0, lastZxidSeen: 0n, timeOut: 4_000, sessionId: 0n, passwd: new Uint8Array(16), readOnly: false }));
    // The session is created through the write path: the answer comes a few turns later.
    for (let turn = 0; turn < 100 && transport.written.length === 0; turn++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(transport.written).toHaveLength(1);
    const response = decodeConnectResponse(transport.written[0].subarray(4));
    expect(response.sessionId).not.toBe(0n);
    expect(connection?.info().remote).toBe('10.0.0.1:5000');
    transport.end();
    expect(server.connectionCount).toBe(0);
  });

  it('applies maxClientCnxns per address to attached transports, and frees the slot when one closes', () => {
    const { server, logLines } = start('maxClientCnxns=1\n');
    const first = new FakeTransport('10.0.0.2', 1);
    expect(server.attach(first)).toBeDefined();
    const second = new FakeTransport('10.0.0.2', 2);
    expect(server.attach(second)).toBeUndefined();
    expect(second.destroyed).toBe(true);
    expect(logLines.some((line) => line.includes('too many connections from one address'))).toBe(true);
    expect(server.attach(new FakeTransport('10.0.0.3', 3))).toBeDefined();
    first.destroy();
    expect(server.attach(new FakeTransport('10.0.0.2', 4))).toBeDefined();
  });
});
