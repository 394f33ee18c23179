# The image every role runs (deploy/kubernetes): one build, the role chosen by APP_ROLES.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# pg_dump/pg_restore for backup_database.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql-client && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/package.json ./
USER node
ENV NODE_ENV=production DROPFLOW_ENV_FILE=none
CMD ["node", "dist/main.js"]
