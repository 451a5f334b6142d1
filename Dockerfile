# Two stages on one pinned Node (the version CI runs: from 24.19.0 on, better-sqlite3 12.11.1 aborts
# when a Statement is garbage-collected, see .ci/run). The build stage installs every dependency,
# compiles TypeScript to dist/ and prunes to production dependencies; the runtime stage copies only
# dist/ and that pruned node_modules (with better-sqlite3's native binding built for this Node).
FROM node:24.18.1-bookworm-slim AS build
# better-sqlite3 downloads a prebuilt binding when it can and compiles one otherwise: python3, make
# and g++ for node-gyp, and the image's own headers (/usr/local/include/node) so nothing is fetched.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` (the build) needs the sources, copied below; better-sqlite3 is the one
# dependency whose install script the service needs (esbuild's only serves tsx, a dev tool).
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY cmd ./cmd
COPY internal ./internal
COPY adapters ./adapters
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && cd node_modules/better-sqlite3 \
 && mv build/Release/better_sqlite3.node /tmp/ \
 && rm -rf build deps src \
 && mkdir -p build/Release \
 && mv /tmp/better_sqlite3.node build/Release/

FROM node:24.18.1-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
# /data belongs to the runtime user, so a volume there can hold a SQLite file (SQLITE_PATH=/data/agora.db).
RUN mkdir /data && chown node:node /data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/cmd/server.js"]
