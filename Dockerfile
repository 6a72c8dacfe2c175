# syntax=docker/dockerfile:1
# Two stages: build the single binary with Node + npm (Bun comes from npm), then copy only the
# binary onto a slim Debian. The runtime image has no Node, no npm and no source.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Our own postinstall needs the sources, which are not copied yet; the build runs it itself.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN node_modules/.bin/bun scripts/build.ts --outfile /out/pokynano

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin pokynano \
 && mkdir -p /data && chown pokynano:pokynano /data
COPY --from=build /out/pokynano /usr/local/bin/pokynano
# Voice on one UDP port: publishing a range of ports costs Docker a proxy per port. Behind NAT
# (the usual container), set POKYNANO_VOICE_PUBLIC_IP too (docs/voice.md).
ENV POKYNANO_DATA_DIR=/data \
    POKYNANO_HOST=0.0.0.0 \
    POKYNANO_PORT=3000 \
    POKYNANO_VOICE_PORTS=50000 \
    POKYNANO_LOG_FORMAT=json
USER pokynano
VOLUME ["/data"]
EXPOSE 3000 50000/udp
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 CMD ["pokynano", "healthcheck"]
ENTRYPOINT ["pokynano"]
CMD ["serve"]
