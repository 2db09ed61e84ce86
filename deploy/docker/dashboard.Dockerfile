# syntax=docker/dockerfile:1
# The dashboard (Next.js). Build from the repo root:
#   docker build -f deploy/docker/dashboard.Dockerfile -t zk-dashboard .
# One image serves any ensemble: COORDINATORS / COORDINATORS_UPSTREAM / DASHBOARD_API_MODE are read at run time
# (apps/dashboard/README.md). Stage 1 builds Next's standalone server; stage 2 runs it as the non-root user.
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The dashboard needs no native module: skip install scripts (sqlite3's compile is the coordinator's).
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY apps/dashboard apps/dashboard
ENV NEXT_TELEMETRY_DISABLED=1 NEXT_OUTPUT=standalone
RUN npx next build apps/dashboard

FROM node:20.20.2-bookworm-slim AS runtime
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app/apps/dashboard/.next/standalone ./
COPY --from=build --chown=node:node /app/apps/dashboard/.next/static ./apps/dashboard/.next/static
COPY --from=build --chown=node:node /app/apps/dashboard/public ./apps/dashboard/public
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/runtime-config').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/dashboard/server.js"]
