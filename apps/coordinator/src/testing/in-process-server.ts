// A coordinator (core + client port, no Nest, no admin HTTP) on an ephemeral loopback port, for tests
// that want a real TCP server without spawning a process.
import { ClientPortServer } from '../client/client-port-server';
import { parseZooConfig, type ServerConfig } from '../config/zoo-config';
import { ServerCore } from '../server/server-core';
import { Logger, type LogLevel } from '../util/logger';

export interface InProcessServer {
  core: ServerCore;
  port: number;
  connectString: string;
  logLines: string[];
  stop(): Promise<void>;
}

export async function startInProcessServer(zooCfgExtra = '', logLevel: LogLevel = 'info'): Promise<InProcessServer> {
  const parsed = parseZooConfig(`tickTime=200\ndataDir=/nonexistent\nclientPort=1\nclientPortAddress=127.0.0.1\n4lw.commands.whitelist=*\n${zooCfgExtra}`);
  const config: ServerConfig = { ...parsed, clientPort: 0 };
  const logLines: string[] = [];
  const identity: { core?: ServerCore } = {};
  const logger = new Logger({ write: (line) => logLines.push(line) }, logLevel, () => identity.core?.logContext() ?? {});
  const core = new ServerCore(config, logger);
  identity.core = core;
  core.start();
  const clientPort = new ClientPortServer(core, logger);
  const port = await clientPort.listen();
  return {
    core,
    port,
    connectString: `127.0.0.1:${port}`,
    logLines,
    async stop() {
      await clientPort.close();
      core.stop();
    },
  };
}
