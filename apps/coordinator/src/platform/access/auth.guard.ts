// Who may call what: handlers (or controllers) marked @RequireRole need a valid bearer token of a user with at
// least that role (401 without or with a bad token, 403 when the role is too low); unmarked routes are public.
import { CanActivate, createParamDecorator, Inject, Injectable, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ApiError } from '../shared/http-errors';
import { roleAtLeast, type Role } from './credentials';
import { UsersService, type Principal } from './users.service';

const ROLE_KEY = 'platform:role';

export const RequireRole = (role: Role): MethodDecorator & ClassDecorator => SetMetadata(ROLE_KEY, role);

type AuthenticatedRequest = Request & { principal?: Principal };

/** The caller, in handlers behind @RequireRole. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new ApiError(401, 'not signed in');
  return principal;
});

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(UsersService) private readonly users: UsersService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const needed = this.reflector.getAllAndOverride<Role | undefined>(ROLE_KEY, [context.getHandler(), context.getClass()]);
    if (needed === undefined) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new ApiError(401, 'sign in first: send Authorization: Bearer <token> (POST /api/v1/auth/login gives one)');
    const principal = await this.users.authenticate(token);
    if (!principal) throw new ApiError(401, 'the token is not valid (expired, signed by another ensemble, or its user was removed): sign in again');
    if (!roleAtLeast(principal.role, needed)) throw new ApiError(403, `this needs the ${needed} role; ${principal.username} is ${principal.role}`);
    request.principal = principal;
    return true;
  }
}
