# wearnet image: every service of a rendered compose project (medium, aggregator, devices) runs it.
# With internet access `npm ci` also installs the optional @tensorflow/tfjs-node (native speed);
# where it cannot, wearnet falls back to the wasm backend.
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npx tsc -b
ENTRYPOINT []
CMD ["node", "packages/cli/bin/wearnet.js", "--help"]
