// zoo.cfg for test servers: the keys both targets read, plus server.N lines for a member of an ensemble.
import type { ServerOptions } from './servers';

export interface PeerPorts {
  id: number;
  quorumPort: number;
  electionPort: number;
}

export function zooCfg(options: ServerOptions, me: { clientPort: number; dataDir: string; adminPort?: number }, peers: readonly PeerPorts[] = []): string {
  const admin = me.adminPort === undefined ? ['admin.enableServer=false'] : ['admin.enableServer=true', `admin.serverPort=${me.adminPort}`, 'admin.serverAddress=127.0.0.1'];
  const lines = [
    `tickTime=${options.tickTimeMs ?? 200}`,
    `dataDir=${me.dataDir}`,
    `clientPort=${me.clientPort}`,
    'clientPortAddress=127.0.0.1',
    'maxClientCnxns=0',
    ...admin,
    '4lw.commands.whitelist=*',
    'extendedTypesEnabled=true',
    `maxSessionTimeout=${options.maxSessionTimeoutMs ?? 30_000}`,
  ];
  if (options.superDigest !== undefined) lines.push(`DigestAuthenticationProvider.superDigest=${options.superDigest}`);
  if (peers.length > 0) {
    // Generous limits: a member's death is seen at once (its links close); only silence waits for syncLimit,
    // and on a loaded 2-core CI machine 1 s of silence (5 ticks) happened without any fault.
    lines.push('initLimit=20', 'syncLimit=15');
    if (options.readOnlyMode === true) lines.push('readonlymode.enabled=true');
    for (const peer of peers) lines.push(`server.${peer.id}=127.0.0.1:${peer.quorumPort}:${peer.electionPort}`);
  }
  return `${lines.join('\n')}\n`;
}
