'use client';
// Live charts built from the successive cluster bodies (events or polls): committed writes/s from the leader's
// zxid, average request latency across members, and connections.
import { useEffect, useRef, useState } from 'react';
import type { Cluster } from '../../lib/api-types';
import { pushSample, writesPerSecond, type Sample } from '../../lib/rates';
import { Sparkline } from '../Sparkline';

export function ClusterCharts({ cluster }: { cluster: Cluster | undefined }) {
  const [writes, setWrites] = useState<Sample[]>([]);
  const [latency, setLatency] = useState<Sample[]>([]);
  const [connections, setConnections] = useState<Sample[]>([]);
  const previous = useRef<{ at: number; zxid: string } | undefined>(undefined);

  useEffect(() => {
    if (!cluster) return;
    const at = Date.now();
    const reachable = cluster.members.filter((member) => member.reachable);
    const zxids = reachable.map((member) => member.lastZxid).filter((zxid): zxid is string => !!zxid);
    const newest = zxids.sort((a, b) => (BigInt(a) < BigInt(b) ? 1 : -1))[0];
    if (newest) {
      const rate = writesPerSecond(previous.current, { at, zxid: newest });
      if (rate !== null) setWrites((series) => pushSample(series, { at, value: rate }));
      previous.current = { at, zxid: newest };
    }
    const latencies = reachable.map((member) => member.latencyMs?.avg).filter((value): value is number => typeof value === 'number');
    if (latencies.length > 0) setLatency((series) => pushSample(series, { at, value: latencies.reduce((a, b) => a + b, 0) / latencies.length }));
    setConnections((series) => pushSample(series, { at, value: reachable.reduce((sum, member) => sum + (member.connections ?? 0), 0) }));
  }, [cluster]);

  return (
    <div className="grid-cards">
      <Sparkline title="Committed writes" unit="txn/s" series={writes} />
      <Sparkline title="Latency (avg of members)" unit="ms" series={latency} />
      <Sparkline title="Client connections" unit="" series={connections} />
    </div>
  );
}
