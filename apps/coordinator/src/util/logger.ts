// Structured log lines for operators: logfmt (key=value) on stderr, each line carrying the server's
// identity (id, role, epoch, zxid) so that lines from an ensemble can be merged and still read.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | bigint | boolean | undefined | null>;

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogSink {
  write(line: string): void;
}

export class Logger {
  constructor(
    private readonly sink: LogSink,
    private readonly minLevel: LogLevel,
    /** Asked at every line, so role and zxid are always the current ones. */
    private readonly context: () => LogFields,
    private readonly bound: LogFields = {},
  ) {}

  /** A logger whose lines all carry `fields` too (a component name, a remote address). */
  child(fields: LogFields): Logger {
    return new Logger(this.sink, this.minLevel, this.context, { ...this.bound, ...fields });
  }

  debug(msg: string, fields?: LogFields): void {
    this.log('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.log('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.log('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.log('error', msg, fields);
  }

  private log(level: LogLevel, msg: string, fields?: LogFields): void {
    if (LEVEL_ORDER[level] < LEVEL_ORDER[this.minLevel]) return;
    const all: LogFields = { ts: new Date().toISOString(), level, ...this.context(), ...this.bound, msg, ...fields };
    this.sink.write(formatLogfmt(all) + '\n');
  }
}

export function formatLogfmt(fields: LogFields): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    const text = String(value);
    parts.push(/^[^\s"=]+$/.test(text) ? `${key}=${text}` : `${key}=${JSON.stringify(text)}`);
  }
  return parts.join(' ');
}

/** zxids are read in hex by ZooKeeper operators (0x100000002). */
export function hexZxid(zxid: bigint): string {
  return '0x' + zxid.toString(16);
}

export function hexSessionId(sessionId: bigint): string {
  return '0x' + BigInt.asUintN(64, sessionId).toString(16);
}
