// The HTTP edge of the admin port, set up once in main.ts: JSON bodies up to 1 MiB (413 beyond), validation of
// every DTO with a readable 400, the contract's error body for everything, and the OpenAPI document at /api/docs.
import { ValidationPipe, type INestApplication, type ValidationError } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../../util/logger';
import { bodyParserError, PlatformExceptionFilter } from './exception-filter';
import { badRequest, errorBody } from './http-errors';

export const BODY_LIMIT_BYTES = 1024 * 1024;

function describe(errors: readonly ValidationError[], prefix = ''): string[] {
  const lines: string[] = [];
  for (const error of errors) {
    const name = `${prefix}${error.property}`;
    for (const text of Object.values(error.constraints ?? {})) lines.push(text.startsWith(error.property) ? `${prefix}${text}` : `${name}: ${text}`);
    if (error.children?.length) lines.push(...describe(error.children, `${name}.`));
  }
  return lines;
}

export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => badRequest(describe(errors).join('; ') || 'the request body is not valid'),
  });
}

/** Must run before app.listen()/init(): the app is created with bodyParser: false. */
export function configureHttp(app: INestApplication, logger: Logger): void {
  app.use(json({ limit: BODY_LIMIT_BYTES, type: ['application/json', 'application/*+json'] }));
  // The body parser's own errors (413, bad JSON) happen before Nest's routing: answer them here in the contract's shape.
  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    const body = bodyParserError(error);
    if (!body) return next(error);
    response.status(body.statusCode).json(body);
  });
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new PlatformExceptionFilter(logger.child({ component: 'http' })));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Coordinator platform API')
      .setDescription('Service registry, config center, load-balancing policies, cluster status and access control. See docs/platform-api.md.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/json' });
}

export { errorBody };
