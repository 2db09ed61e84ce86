import { describe, expect, it } from 'vitest';
import { counterAt, formatOutliers, parseServerProbe, parseSlowRequests, windowShare, type ServerTrace } from './analyze';

const trace = (clientPort: number, overrides: Partial<ServerTrace> = {}): ServerTrace => ({
  pid: clientPort + 1000,
  clientPort,
  pauses: [],
  sched: [
    { atMs: 0, runMs: 0, queuedMs: 0 },
    { atMs: 10, runMs: 10, queuedMs: 0 },
    { atMs: 20, runMs: 10, queuedMs: 10 },
  ],
  ...overrides,
});

describe('the outlier analysis', () => {
  it('reads the clients’ slow requests and the servers’ probe lines, skipping anything else', () => {
    expect(parseSlowRequests('slow 100.5 42.25 getData 127.0.0.1:2181 8x4/524288\nnoise\nslow 200 10 setData 127.0.0.1:2182 1x1/100\n')).toEqual([
      { issuedMs: 100.5, latencyMs: 42.25, op: 'getData', server: '127.0.0.1:2181', shape: '8x4/524288' },
      { issuedMs: 200, latencyMs: 10, op: 'setData', server: '127.0.0.1:2182', shape: '1x1/100' },
    ]);
    expect(parseServerProbe('start 5.000 2181\ngc 10.5 3.25 minor\nlag 20 7.5\nbroken\n')).toEqual({
      clientPort: 2181,
      pauses: [
        { kind: 'gc', startMs: 10.5, durationMs: 3.25, detail: 'minor' },
        { kind: 'lag', startMs: 20, durationMs: 7.5, detail: '' },
      ],
    });
    expect(parseServerProbe('start 5.000 ?\n').clientPort).toBeUndefined();
  });

  it('interpolates a cumulative counter between samples and holds it outside them', () => {
    const { sched } = trace(1);
    expect(counterAt(sched, 5, 'runMs')).toBe(5);
    expect(counterAt(sched, 15, 'queuedMs')).toBe(5);
    expect(counterAt(sched, -3, 'runMs')).toBe(0);
    expect(counterAt(sched, 99, 'queuedMs')).toBe(10);
    expect(counterAt([], 5, 'runMs')).toBe(0);
  });

  it('splits a window into time on a CPU, time queued for one, and the pauses that overlap it', () => {
    const server = trace(1, {
      pauses: [
        { kind: 'gc', startMs: 4, durationMs: 4, detail: 'minor' },
        { kind: 'lag', startMs: 14, durationMs: 10, detail: '' },
        { kind: 'gc', startMs: 30, durationMs: 5, detail: 'major' },
      ],
    });
    expect(windowShare(server, 5, 18)).toEqual({ runMs: 5, queuedMs: 8, gcMs: 3, lagMs: 4 });
  });

  it('lists the slowest requests first, the request’s own server marked', () => {
    const table = formatOutliers(
      [
        { issuedMs: 12, latencyMs: 6, op: 'getData', server: '127.0.0.1:2182', shape: '1x1/100' },
        { issuedMs: 2, latencyMs: 8, op: 'setData', server: '127.0.0.1:2181', shape: '1x1/100' },
        { issuedMs: 1, latencyMs: 1, op: 'getData', server: '127.0.0.1:2181', shape: '1x1/100' },
      ],
      [trace(2182), trace(2181)],
      2,
      0,
    );
    expect(table.split('\n')).toEqual([
      '| latency ms | op | shape | at s | server :2181 run / queued / gc / lag ms | server :2182 run / queued / gc / lag ms |',
      '| ---: | --- | --- | ---: | --- | --- |',
      '| 8.00 | setData | 1x1/100 | 0.002 | *8.0 / 0.0 / 0.0 / 0.0 | 8.0 / 0.0 / 0.0 / 0.0 |',
      '| 6.00 | getData | 1x1/100 | 0.012 | 0.0 / 6.0 / 0.0 / 0.0 | *0.0 / 6.0 / 0.0 / 0.0 |',
    ]);
  });
});
