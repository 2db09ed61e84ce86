// Drives Debian's C client shell, cli_mt, through one scripted session and normalises what it prints
// (zxids, session ids, dates, timings, log prefixes) so two servers' sessions can be compared line by line.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { killChild, trackChild } from './processes';
import { sleep } from './wait';

export const CLI_MT = '/usr/lib/zookeeper/bin/cli_mt';

export interface CliSession {
  stdout: string;
  stderr: string;
}

/** Output quiet for this long after a command's first output means the command is done. */
const QUIET_MS = 150;
/** A command that prints nothing (exists on a present node, addauth) is given this long. */
const SILENT_COMMAND_MS = 400;
const COMMAND_MAX_MS = 5_000;

/**
 * Runs `commands` one at a time in a single cli_mt session: waits for the session to connect, then sends each
 * command after the previous one's output has settled, then `quit` and waits (bounded) for the exit.
 */
export async function runCliMt(port: number, commands: string[]): Promise<CliSession> {
  if (!existsSync(CLI_MT)) throw new Error(`${CLI_MT} is missing: install Debian's zookeeper-bin package`);
  const child = spawn(CLI_MT, [`127.0.0.1:${port}`], { stdio: ['pipe', 'pipe', 'pipe'] });
  trackChild(child);
  let stdout = '';
  let stderr = '';
  let lastOutputAt = Date.now();
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    lastOutputAt = Date.now();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    lastOutputAt = Date.now();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const connectDeadline = Date.now() + COMMAND_MAX_MS;
    while (!stderr.includes('CONNECTED_STATE')) {
      if (Date.now() > connectDeadline) throw new Error(`cli_mt did not connect to 127.0.0.1:${port}:\n${stderr}`);
      if (child.exitCode !== null) throw new Error(`cli_mt exited with ${child.exitCode}:\n${stderr}`);
      await sleep(20);
    }
    await sleep(QUIET_MS);
    for (const command of commands) {
      const before = stdout.length + stderr.length;
      const sentAt = Date.now();
      child.stdin.write(`${command}\n`);
      for (;;) {
        await sleep(20);
        const now = Date.now();
        const grew = stdout.length + stderr.length > before;
        if (grew && now - lastOutputAt >= QUIET_MS) break;
        if (!grew && now - sentAt >= SILENT_COMMAND_MS) break;
        if (now - sentAt >= COMMAND_MAX_MS) break;
      }
    }
    child.stdin.write('quit\n');
    child.stdin.end();
    await Promise.race([exited, sleep(COMMAND_MAX_MS)]);
  } finally {
    await killChild(child);
  }
  return { stdout, stderr };
}

/** cli_mt's output with every volatile part replaced by a stable marker. */
export function normaliseCliOutput(output: CliSession, port: number): string {
  const zxids = new Map<string, string>();
  const sessions = new Map<string, string>();
  const zxid = (hex: string): string => {
    if (/^0+$/.test(hex)) return '0';
    const key = hex.toLowerCase();
    if (!zxids.has(key)) zxids.set(key, `Z${zxids.size + 1}`);
    return zxids.get(key) as string;
  };
  const session = (hex: string): string => {
    const key = hex.toLowerCase().replace(/^0x/, '').replace(/^0+(?=.)/, '');
    if (key === '0') return '0';
    if (!sessions.has(key)) sessions.set(key, `S${sessions.size + 1}`);
    return sessions.get(key) as string;
  };
  const normaliseLine = (line: string): string | undefined => {
    if (/^time = -?\d+ msec$/.test(line.trim())) return undefined;
    return (
      line
        // C client log prefix: "2026-11-25 08:52:10,800:12804(0x7f8a2ce106c0):ZOO_ERROR@check_events@2985: …"
        .replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+:\d+\(0x[0-9a-f]+\):(ZOO_\w+)@(\w+)@\d+:/, '$1@$2:')
        .replace(/Got a new session id: 0x([0-9a-f]+)/i, (_, hex: string) => `Got a new session id: ${session(hex)}`)
        .replace(/session Id = ([0-9a-f]+)/i, (_, hex: string) => `session Id = ${session(hex)}`)
        .replace(/ephemeralOwner = ([0-9a-f]+)/i, (_, hex: string) => `ephemeralOwner = ${session(hex)}`)
        .replace(/([cmp]zxid)=([0-9a-f]+)/gi, (_, name: string, hex: string) => `${name}=${zxid(hex)}`)
        .replace(/(ctime|mtime) ?= ?(\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4})/g, (match, name: string, date: string) =>
          date.endsWith('1970') ? match : `${name} = <date>`,
        )
        .replace(new RegExp(`127\\.0\\.0\\.1:${port}\\b`, 'g'), '127.0.0.1:<port>')
    );
  };
  const section = (text: string): string =>
    sortChildRuns(
      text
        .split('\n')
        .map(normaliseLine)
        .filter((line): line is string => line !== undefined),
    ).join('\n');
  return `--- stdout\n${section(output.stdout)}\n--- stderr\n${section(output.stderr)}`;
}

/** `ls` prints children in the server's hash order: sort each run of tab-indented names (Stat lines have '='). */
function sortChildRuns(lines: string[]): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flush = (): void => {
    out.push(...run.sort());
    run = [];
  };
  for (const line of lines) {
    if (/^\t[^=\t]+$/.test(line)) {
      run.push(line);
    } else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out;
}
