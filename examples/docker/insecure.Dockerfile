# syntax=docker/dockerfile:1
# Deliberately insecure: at least one finding for every Dockerfile rule of Bulkhead.
# Security rules show with the default profile (`bulkhead scan examples`); the hygiene ones
# (apt recommends, apt-get update alone, shell-form CMD, pipefail, npm ci, digests) with `--profile all`.
ARG BASE=ubuntu:latest

# ---- builder: secrets and remote code leak through the build cache, so every stage is checked.
FROM golang AS build
ARG NPM_TOKEN
ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
RUN curl -fsSL https://get.example.com/install.sh | sh
RUN curl -k https://example.com/tool.tgz | tar xz -C /usr/local
ADD https://example.com/releases/tool-1.0.tar.gz /tmp/
ADD https://github.com/example/lib.git#main /src/lib
COPY .npmrc /root/.npmrc
RUN --security=insecure go build -o /out/app ./...
RUN apt-get update

# ---- the shipped image
FROM ${BASE}
ENV NODE_TLS_REJECT_UNAUTHORIZED=0
ENV DB_PASSWORD=hunter2
COPY --from=build / /
ADD app.conf /etc/app/
COPY id_rsa /root/.ssh/id_rsa
COPY package.json package-lock.json /app/
RUN apt-get update && apt-get install -y curl openssh-server sudo npm \
 && cd /app && npm install \
 && chmod -R 777 /app && chmod u+s /usr/local/bin/helper \
 && echo "app ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers \
 && rm -rf /var/lib/apt/lists/* /var/lib/dpkg/status /app/package-lock.json
RUN sudo ldconfig
VOLUME /var/run/docker.sock
EXPOSE 22 8080 70000
CMD /usr/sbin/sshd -D
