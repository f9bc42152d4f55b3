# syntax=docker/dockerfile:1
# wearnet image: every service of a rendered compose project (medium, aggregator, devices) runs it.
#   docker build -t wearnet:latest .                                  # native backend required
#   docker build --build-arg WEARNET_REQUIRE_BACKEND= -t wearnet:wasm .   # allow the wasm fallback
# Stages: `deps` installs the dependencies from the lockfile (cached until a package.json or
# package-lock.json changes) with the compilers @tensorflow/tfjs-node may need; `build` compiles
# the TypeScript, checks the backend and drops the dev dependencies; the final stage holds only
# node, the production node_modules, the built packages, topologies and bundles, and runs as `node`.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/aggregator/package.json packages/aggregator/
COPY packages/bundle/package.json packages/bundle/
COPY packages/cli/package.json packages/cli/
COPY packages/control-client/package.json packages/control-client/
COPY packages/data/package.json packages/data/
COPY packages/device/package.json packages/device/
COPY packages/distil/package.json packages/distil/
COPY packages/faults/package.json packages/faults/
COPY packages/hardware/package.json packages/hardware/
COPY packages/launcher/package.json packages/launcher/
COPY packages/link/package.json packages/link/
COPY packages/logger/package.json packages/logger/
COPY packages/medium/package.json packages/medium/
COPY packages/models/package.json packages/models/
COPY packages/modnn/package.json packages/modnn/
COPY packages/partition/package.json packages/partition/
COPY packages/protocol/package.json packages/protocol/
COPY packages/random/package.json packages/random/
COPY packages/report/package.json packages/report/
COPY packages/roles/package.json packages/roles/
COPY packages/runtime/package.json packages/runtime/
COPY packages/sweep/package.json packages/sweep/
COPY packages/train/package.json packages/train/
COPY packages/workload/package.json packages/workload/
# --ignore-scripts: the root `prepare` (tsc -b) needs the sources, which come later. Then the
# install scripts of the packages that have one: tfjs-node downloads libtensorflow and its
# binding (this needs internet); msgpackr-extract picks its prebuilt binary.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild msgpackr-extract \
 && (npm rebuild @tensorflow/tfjs-node --foreground-scripts || echo "wearnet: @tensorflow/tfjs-node did not install (no native backend)")

FROM deps AS build
ARG WEARNET_REQUIRE_BACKEND=node
COPY tsconfig.base.json tsconfig.json ./
COPY packages packages
RUN npx tsc -b \
 && WEARNET_REQUIRE_BACKEND=${WEARNET_REQUIRE_BACKEND} node packages/cli/bin/wearnet.js backend \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf packages/*/src packages/*/test packages/*/tsconfig.json packages/*/dist/.tsbuildinfo

FROM ${NODE_IMAGE}
ARG WEARNET_REQUIRE_BACKEND=node
ENV NODE_ENV=production \
    WEARNET_REQUIRE_BACKEND=${WEARNET_REQUIRE_BACKEND} \
    WEARNET_READY_FILE=/tmp/wearnet-ready
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/packages packages
COPY topologies topologies
COPY bundles bundles
RUN ln -s /app/packages/cli/bin/wearnet.js /usr/local/bin/wearnet && mkdir -p /results && chown node:node /results
USER node
# Healthy once the role process (medium, aggregator, device) has reported `ready`; it writes
# WEARNET_READY_FILE then and removes it when it stops. Compose adds per-role probes.
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "require('fs').accessSync(process.env.WEARNET_READY_FILE)"]
ENTRYPOINT []
CMD ["node", "packages/cli/bin/wearnet.js", "--help"]
