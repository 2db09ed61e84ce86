// A write's timeline across the servers of an ensemble, for profiling (`npm run bench:timeline`): with
// ZK_TIMELINE_DIR set, each server appends "<ns> <event> <a> <b>" lines to timeline-<pid>.log there, on the
// monotonic clock every process on the machine shares, so one write can be followed from the client's
// server to the leader and back. Unset (always, in production): every mark is one check.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

const directory = process.env['ZK_TIMELINE_DIR'];
export const timelineEnabled = directory !== undefined && directory !== '';

const lines: string[] = [];

type Name = string | number | bigint;

/** Records `event` now; the names say what it happened to (a zxid, a peer, a session and cxid). */
export function mark(event: string, a: Name = '', b: Name = '', c: Name = ''): void {
  if (!timelineEnabled) return;
  lines.push(`${process.hrtime.bigint()} ${event} ${a} ${b} ${c}`);
}

function flush(): void {
  if (lines.length === 0) return;
  appendFileSync(join(directory as string, `timeline-${process.pid}.log`), `${lines.splice(0).join('\n')}\n`);
}

if (timelineEnabled) {
  // Written every half second: the benchmark may SIGKILL the servers it started.
  setInterval(flush, 500).unref();
  process.on('exit', flush);
}
