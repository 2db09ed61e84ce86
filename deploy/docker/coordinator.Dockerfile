# syntax=docker/dockerfile:1
# A coordinator (one ensemble member). Build from the repo root:
#   docker build -f deploy/docker/coordinator.Dockerfile -t zk-coordinator .
# Stage 1 compiles the TypeScript and the native sqlite3 module; stage 2 keeps only what runs, as the non-root user.
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.build.json ./
COPY libs libs
COPY apps/coordinator apps/coordinator
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund

FROM node:20.20.2-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node bin ./bin
COPY --chown=node:node deploy/docker/coordinator-entrypoint.sh /usr/local/bin/coordinator-entrypoint
RUN mkdir -p /data /conf && chown node:node /data /conf
USER node
VOLUME ["/data"]
# clientPort, quorum port, election port, admin HTTP/WebSocket port
EXPOSE 2181 2888 3888 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/api/v1/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/local/bin/coordinator-entrypoint"]
