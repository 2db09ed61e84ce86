// Users and their roles in the tree (/zk-platform/users/{username}, scrypt hashes), logins, and the identity
// behind a token. A short cache lets a member that has lost its quorum still authorise reads of cluster status.
import { Inject, Injectable } from '@nestjs/common';
import { BadVersionError, NodeExistsError, NoNodeError } from '@zk/sdk';
import { ApiError, conflict, notFound } from '../shared/http-errors';
import { platformPaths } from '../shared/platform-paths';
import { PlatformState, type StoredUser } from '../shared/platform-state';
import { PlatformZk } from '../shared/platform-zk';
import { hashPassword, issueToken, passwordMatches, verifyToken, type Role } from './credentials';

export interface Principal {
  username: string;
  role: Role;
}

const CACHE_MS = 1_000;

@Injectable()
export class UsersService {
  private readonly cache = new Map<string, { user: StoredUser | undefined; atMs: number }>();

  constructor(
    @Inject(PlatformZk) private readonly zk: PlatformZk,
    @Inject(PlatformState) private readonly state: PlatformState,
  ) {}

  async login(username: string, password: string): Promise<{ token: string; expiresAt: number; user: Principal }> {
    const stored = await this.read(username);
    if (!stored || !passwordMatches(password, stored.password)) throw new ApiError(401, 'wrong username or password');
    const { token, expiresAt } = issueToken(stored.username, stored.role, this.state.secret(), Date.now());
    return { token, expiresAt, user: { username: stored.username, role: stored.role } };
  }

  /** The principal behind a bearer token, or undefined when the token is bad, expired or its user is gone. */
  async authenticate(token: string): Promise<Principal | undefined> {
    const claims = verifyToken(token, this.state.secret(), Date.now());
    if (!claims) return undefined;
    try {
      const user = await this.cached(claims.sub);
      return user ? { username: user.username, role: user.role } : undefined;
    } catch (error) {
      // No quorum and never seen here: the signed role stands in (read-only status calls are what remain possible).
      if (error instanceof ApiError && error.getStatus() === 503) return { username: claims.sub, role: claims.role };
      throw error;
    }
  }

  async list(): Promise<Array<{ username: string; role: Role; createdAt: number }>> {
    await this.zk.sync();
    const names = (await this.zk.children(platformPaths.users)).sort();
    const reads = await this.zk.readMany(names.map((name) => platformPaths.user(name)));
    return reads.flatMap((read) => {
      if (!read) return [];
      const user = JSON.parse(read.text) as StoredUser;
      return [{ username: user.username, role: user.role, createdAt: user.createdAt }];
    });
  }

  async create(username: string, password: string, role: Role): Promise<Principal> {
    const user: StoredUser = { username, role, createdAt: Date.now(), password: hashPassword(password) };
    try {
      await this.zk.run((client) => client.create(platformPaths.user(username), JSON.stringify(user), { acl: [...this.zk.privateAcl] }));
    } catch (error) {
      if (error instanceof NodeExistsError) throw conflict(`user ${username} already exists`);
      throw error;
    }
    this.cache.delete(username);
    return { username, role };
  }

  async update(username: string, change: { password?: string; role?: Role }): Promise<{ user: Principal; beforeVersion: number; afterVersion: number }> {
    for (let attempt = 0; ; attempt++) {
      const read = await this.zk.readText(platformPaths.user(username));
      if (!read) throw notFound(`no user ${username}`);
      const user = JSON.parse(read.text) as StoredUser;
      if (change.role !== undefined && change.role !== 'admin' && user.role === 'admin') await this.refuseLastAdmin(username);
      const next: StoredUser = { ...user, role: change.role ?? user.role, password: change.password === undefined ? user.password : hashPassword(change.password) };
      try {
        const stat = await this.zk.run((client) => client.setData(platformPaths.user(username), JSON.stringify(next), read.stat.version));
        this.cache.delete(username);
        return { user: { username, role: next.role }, beforeVersion: read.stat.version, afterVersion: stat.version };
      } catch (error) {
        if (!(error instanceof BadVersionError) || attempt >= 3) throw error;
      }
    }
  }

  async remove(username: string): Promise<void> {
    const read = await this.zk.readText(platformPaths.user(username));
    if (!read) throw notFound(`no user ${username}`);
    if ((JSON.parse(read.text) as StoredUser).role === 'admin') await this.refuseLastAdmin(username);
    try {
      await this.zk.run((client) => client.delete(platformPaths.user(username)));
    } catch (error) {
      if (error instanceof NoNodeError) throw notFound(`no user ${username}`);
      throw error;
    }
    this.cache.delete(username);
  }

  private async refuseLastAdmin(username: string): Promise<void> {
    const admins = (await this.list()).filter((u) => u.role === 'admin' && u.username !== username);
    if (admins.length === 0) throw conflict(`${username} is the last admin: make another user admin first`);
  }

  private async read(username: string): Promise<StoredUser | undefined> {
    const read = await this.zk.readText(platformPaths.user(username));
    const user = read ? (JSON.parse(read.text) as StoredUser) : undefined;
    this.cache.set(username, { user, atMs: Date.now() });
    return user;
  }

  /** Fresh within CACHE_MS; when the member cannot serve, the last known record (so status stays readable). */
  private async cached(username: string): Promise<StoredUser | undefined> {
    const hit = this.cache.get(username);
    if (hit && Date.now() - hit.atMs < CACHE_MS) return hit.user;
    try {
      return await this.read(username);
    } catch (error) {
      if (hit && error instanceof ApiError && error.getStatus() === 503) return hit.user;
      throw error;
    }
  }
}
