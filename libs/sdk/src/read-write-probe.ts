// ZooKeeper's pingRwServer for a session connected to a read-only server: ask the other hosts in turn whether
// they serve reads and writes (the transport's probe: isro over TCP), with a growing pause between probes.
import type { HostAddress } from './connect-string';
import { unrefTimer } from './heartbeat';
import type { Transport } from './transport';

/** ZooKeeper's minPingRwTimeout: the first probe, 100 ms after connecting read-only; each later pause doubles. */
const PROBE_INTERVAL_MS_MIN = 100;
const PROBE_TIMEOUT_MS = 1_000;

export interface ReadWriteSearch {
  transport: Transport;
  hosts: readonly HostAddress[];
  /** The host the read-only connection is on: skipped while there are others. */
  currentIndex: number;
  intervalMaxMs: number;
  /** False once the read-only connection is gone (closed, lost, or the session moved): the search stops. */
  stillReadOnly: () => boolean;
}

/** The index of the first host found serving reads and writes, or undefined when the search stopped (or cannot probe). */
export async function findReadWriteHost(search: ReadWriteSearch): Promise<number | undefined> {
  const { transport, hosts, currentIndex } = search;
  if (transport.probeReadWrite === undefined) return undefined;
  let index = currentIndex;
  let intervalMs = PROBE_INTERVAL_MS_MIN;
  while (search.stillReadOnly()) {
    await new Promise((resolve) => unrefTimer(setTimeout(resolve, intervalMs)));
    if (!search.stillReadOnly()) return undefined;
    intervalMs = Math.min(intervalMs * 2, search.intervalMaxMs);
    index = (index + 1) % hosts.length;
    // The server we are on answers "ro"; with one host, ask it anyway (it may have regained its quorum).
    if (index === currentIndex && hosts.length > 1) index = (index + 1) % hosts.length;
    const readWrite = await transport.probeReadWrite(hosts[index], PROBE_TIMEOUT_MS).catch(() => false);
    if (readWrite && search.stillReadOnly()) return index;
  }
  return undefined;
}
