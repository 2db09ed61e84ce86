'use client';
// Cluster: who leads, every member's state, the topology, recent elections and live charts.
import { useMemo } from 'react';
import { useApp } from '../../components/AppProvider';
import { ClusterCharts } from '../../components/cluster/ClusterCharts';
import { Elections } from '../../components/cluster/Elections';
import { MemberTable } from '../../components/cluster/MemberTable';
import { Topology } from '../../components/cluster/Topology';
import { ErrorNotice } from '../../components/ResultNotice';
import { useLive } from '../../hooks/useLive';
import type { Cluster } from '../../lib/api-types';

export default function ClusterPage() {
  const { client } = useApp();
  const load = useMemo(() => {
    const api = client;
    return api ? async () => (await api.get<Cluster>('/api/v1/cluster')).data : null;
  }, [client]);
  const { data: cluster, error } = useLive<Cluster>('cluster', load, 2000);
  const leader = cluster?.members.find((member) => member.id === cluster.leaderId);
  return (
    <>
      <h1>Cluster</h1>
      <ErrorNotice error={error} />
      {cluster ? (
        <>
          <p className="panel" aria-live="polite" data-testid="leader">
            {leader ? (
              <>
                Leader: <strong>member {leader.id}</strong> <span className="mono small">{`${leader.host}:${leader.clientPort}`}</span>, epoch {cluster.epoch}
              </>
            ) : (
              <strong>No leader: an election is in progress or there is no quorum.</strong>
            )}
          </p>
          <section className="panel" aria-labelledby="members-title">
            <h2 id="members-title">Members</h2>
            <MemberTable members={cluster.members} answeredBy={cluster.answeredBy} />
          </section>
          <div className="grid-2">
            <section className="panel" aria-labelledby="topology-title">
              <h2 id="topology-title">Topology</h2>
              <Topology members={cluster.members} leaderId={cluster.leaderId} />
            </section>
            <section className="panel" aria-labelledby="charts-title">
              <h2 id="charts-title">Activity</h2>
              <ClusterCharts cluster={cluster} />
              <h2>Recent elections</h2>
              <Elections elections={cluster.elections ?? []} />
            </section>
          </div>
        </>
      ) : error ? null : (
        <p aria-live="polite">Loading the cluster…</p>
      )}
    </>
  );
}
