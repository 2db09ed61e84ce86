// Routes NestJS's own log lines into our structured logger, so an operator reads one format.
import type { LoggerService } from '@nestjs/common';
import type { Logger } from './logger';

export class NestLoggerAdapter implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string): void {
    this.logger.debug(String(message), { component: context });
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error(String(message), { component: context, trace });
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn(String(message), { component: context });
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug(String(message), { component: context });
  }
  verbose(message: unknown, context?: string): void {
    this.logger.debug(String(message), { component: context });
  }
}
