# syntax=docker/dockerfile:1
# The warehouse binary in a small runtime image. Build: docker build -t warehouse .
# Run:   docker run --rm -e DATABASE_URL=... -e PGPASSWORD_FILE=/run/secrets/db_password warehouse migrate
# docker-compose.yml runs it with PostgreSQL; docs/operations.md says how.
# The Swift standard library is linked statically; the runtime image only needs the C
# libraries the tool links (libpq, sqlite3, OpenSSL's libcrypto, zlib) and libcurl for
# FoundationNetworking's URLSession; curl itself is for the dashboard's health check.

ARG SWIFT_IMAGE=swift:6.3-noble
ARG RUNTIME_IMAGE=ubuntu:24.04

FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq-dev libsqlite3-dev libssl-dev zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so that a change to the sources does not fetch them again.
COPY Package.swift ./
RUN swift package resolve
COPY . .
RUN swift build -c release --static-swift-stdlib --product warehouse \
    && install -m 755 "$(swift build -c release --show-bin-path)/warehouse" /usr/local/bin/warehouse

FROM ${RUNTIME_IMAGE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 libsqlite3-0 libssl3t64 zlib1g libcurl4t64 curl ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /var/lib/warehouse --shell /usr/sbin/nologin warehouse
COPY --from=build /usr/local/bin/warehouse /usr/local/bin/warehouse
# Reads the password and the dashboard token from secret files (PGPASSWORD_FILE,
# WAREHOUSE_DASHBOARD_TOKEN_FILE), then runs warehouse with the container's arguments.
COPY --chmod=755 deploy/docker/entrypoint.sh /usr/local/bin/warehouse-entrypoint
# PostgreSQL refuses to run as root, and nothing here needs root.
USER warehouse
WORKDIR /var/lib/warehouse
# The home folder: landing files of every pull (and the embedded cluster, when no
# DATABASE_URL is given). A volume, so they outlive the container.
ENV WAREHOUSE_HOME=/var/lib/warehouse
VOLUME ["/var/lib/warehouse"]
ENTRYPOINT ["warehouse-entrypoint"]
CMD ["--help"]
