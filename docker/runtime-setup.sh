#!/bin/sh
# The set-up both runtime images share (the JRE image and the CUDA one): curl for the compose healthchecks (the
# Temurin images have shipped it so far, but nothing promises it) and CA certificates, the service user, and the /data
# folders owned by that user, so named volumes mounted there inherit the owner.
set -eux
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl ca-certificates
rm -rf /var/lib/apt/lists/*
useradd --system --uid 10001 --create-home --home-dir /home/gan --shell /usr/sbin/nologin gan
mkdir -p /data/models /data/samples /data/checkpoints
chown -R gan:gan /data
