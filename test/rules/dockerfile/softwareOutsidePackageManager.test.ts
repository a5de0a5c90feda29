import assert from 'node:assert/strict';
import { it } from 'node:test';
import { lintWith, RuleTester } from '../../../rules/tester';
import { dockerfileSoftwareOutsidePackageManager } from '../../../rules/dockerfile/softwareOutsidePackageManager';
import { guessNameVersion, parseRecord } from '../../../rules/dockerfile/softwareRecord';

const rule = dockerfileSoftwareOutsidePackageManager;

RuleTester.run(rule, {
  valid: [
    {
      name: 'clean: packages from the package managers',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10 \\\n && rm -rf /var/lib/apt/lists/*\nRUN pip install --no-cache-dir requests==2.32.3\n',
    },
    {
      name: 'keys, checksums, repository lists and data',
      code: 'FROM debian:12\nRUN curl -fsSL https://download.docker.com/linux/debian/gpg -o /etc/apt/keyrings/docker.asc \\\n && curl -fsSLO https://example.com/x.tar.gz.sha256 \\\n && wget -q https://example.com/config.json\nADD https://example.com/settings.yaml /etc/app/\n',
    },
    {
      name: 'a signature saved beside a binary on the PATH',
      code: 'FROM debian:12\nRUN wget -O /usr/local/bin/gosu.asc https://github.com/tianon/gosu/releases/download/1.17/gosu-amd64.asc\n',
    },
    {
      name: 'package files installed by the package manager',
      code: 'FROM debian:12\nRUN curl -fsSLo /tmp/x.deb https://example.com/x_1.0_amd64.deb && dpkg -i /tmp/x.deb\n',
    },
    {
      name: 'builder stage whose output is copied selectively',
      code: 'FROM golang:1.22 AS build\nRUN curl -fsSL https://example.com/tool-1.2.tar.gz | tar xz -C /src\nRUN go build -o /out/app ./...\nFROM gcr.io/distroless/static\nCOPY --from=build /out/app /app\n',
    },
    { name: 'curl piped to a shell is the curl-pipe-shell rule', code: 'FROM debian:12\nRUN curl -fsSL https://sh.rustup.rs | sh -s -- -y\n' },
    {
      name: 'a binary without extension that is never made executable (an API call)',
      code: 'FROM debian:12\nRUN curl -s https://api.github.com/repos/o/r/releases/latest > /tmp/latest\n',
    },
    {
      name: 'git clone without a build (config checkout)',
      code: 'FROM nginx:1.27\nRUN git clone --depth 1 https://github.com/o/site.git /usr/share/nginx/html\n',
    },
    {
      name: 'recorded source (as written, with the variable)',
      code: 'FROM debian:12\nARG V=1.30.2\n# bulkhead-sbom: name=kubectl version=v1.30.2 source=https://dl.k8s.io/release/v${V}/bin/linux/amd64/kubectl\nRUN curl -fsSLo /usr/local/bin/kubectl https://dl.k8s.io/release/v${V}/bin/linux/amd64/kubectl\n',
    },
    {
      name: 'own build stages copied onto the PATH',
      code: 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM debian:12\nCOPY --from=build /out/app /usr/local/bin/app\nCOPY --from=0 /out/app /usr/local/bin/app2\n',
    },
    { name: 'files from an image that do not land on the PATH', code: 'FROM debian:12\nCOPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/nginx/\n' },
    {
      name: 'symlink and alias renames',
      code: 'FROM debian:12\nRUN apt-get install -y curl && mv /usr/bin/curl /usr/bin/c && ln -s /usr/bin/c /usr/bin/curl \\\n && echo "alias fetch=curl" >> /root/.bashrc\n',
    },
  ],
  invalid: [
    {
      name: 'curl of an archive unpacked in the final stage',
      code: 'FROM debian:12\nRUN curl -fsSL https://ftp.postgresql.org/pub/source/v16.3/postgresql-16.3.tar.gz -o /tmp/pg.tar.gz \\\n && tar xzf /tmp/pg.tar.gz -C /usr/src\n',
      errors: [
        {
          text: 'https://ftp.postgresql.org/pub/source/v16.3/postgresql-16.3.tar.gz',
          line: 1,
          message:
            /^An archive fetched outside a package manager \(curl https:\/\/ftp\.postgresql\.org.*image scanners \(Trivy, Syft, Docker Scout, Grype\) read, so they are likely to miss it \(ORCA: such software was invisible to all seven scanners tested; only a few well-known runtimes and the build info of Go binaries are recognised by some\), and then its vulnerabilities go unreported/,
        },
      ],
      output:
        'FROM debian:12\n# bulkhead-sbom: name=postgresql version=16.3 source=https://ftp.postgresql.org/pub/source/v16.3/postgresql-16.3.tar.gz\nRUN curl -fsSL https://ftp.postgresql.org/pub/source/v16.3/postgresql-16.3.tar.gz -o /tmp/pg.tar.gz \\\n && tar xzf /tmp/pg.tar.gz -C /usr/src\n',
    },
    {
      name: 'binary dropped into PATH, version from an ARG, CRLF kept',
      code: 'FROM debian:12\r\nARG V=1.30.2\r\nRUN curl -fsSLo /usr/local/bin/kubectl "https://dl.k8s.io/release/v${V}/bin/linux/amd64/kubectl" && chmod +x /usr/local/bin/kubectl\r\n',
      errors: [
        {
          text: '"https://dl.k8s.io/release/v${V}/bin/linux/amd64/kubectl"',
          line: 2,
          message: /^A binary fetched outside a package manager .*, dropped into \/usr\/local\/bin\/kubectl on the PATH: /,
        },
      ],
      output:
        'FROM debian:12\r\nARG V=1.30.2\r\n# bulkhead-sbom: name=kubectl version=v1.30.2 source=https://dl.k8s.io/release/v${V}/bin/linux/amd64/kubectl\r\nRUN curl -fsSLo /usr/local/bin/kubectl "https://dl.k8s.io/release/v${V}/bin/linux/amd64/kubectl" && chmod +x /usr/local/bin/kubectl\r\n',
    },
    {
      name: 'wget of a release binary made executable, and an installer script',
      code: 'FROM alpine:3.20\nRUN wget -O /gosu https://github.com/tianon/gosu/releases/download/1.17/gosu-amd64 && chmod 755 /gosu\nRUN wget https://example.com/install-agent.sh && sh install-agent.sh && rm install-agent.sh\n',
      errors: [
        { text: 'https://github.com/tianon/gosu/releases/download/1.17/gosu-amd64', line: 1, message: /^A binary fetched/ },
        { text: 'https://example.com/install-agent.sh', line: 2, message: /^An installer fetched and run/ },
      ],
    },
    {
      name: 'ADD of a URL, and ADD of a Git repository that is then built',
      code: 'FROM debian:12\nADD https://example.com/releases/node_exporter-1.8.1.linux-amd64.tar.gz /opt/\nADD https://github.com/o/tool.git#v2.1.0 /src/tool\nRUN make -C /src/tool && cp /src/tool/tool /usr/local/bin/\n',
      errors: [
        { text: 'https://example.com/releases/node_exporter-1.8.1.linux-amd64.tar.gz', line: 1 },
        { text: 'https://github.com/o/tool.git#v2.1.0', line: 2, message: /^Source code cloned and built/ },
      ],
    },
    {
      name: 'git clone + build',
      code: 'FROM debian:12\nRUN git clone --branch v1.2.3 https://github.com/o/lib.git /src/lib \\\n && cd /src/lib && ./configure && make && make install\n',
      errors: [
        {
          text: 'https://github.com/o/lib.git',
          line: 1,
          message: /^Source code cloned and built outside a package manager \(git clone https:\/\/github.com\/o\/lib.git\)/,
        },
      ],
    },
    {
      name: 'configure && make install of copied sources',
      code: 'FROM debian:12\nCOPY vendor/libfoo /src/libfoo\nRUN cd /src/libfoo && ./configure --prefix=/usr/local && make -j4 && make install\n',
      errors: [{ text: 'make install', line: 2, message: /^A source build installed with `make install`/ }],
      output:
        'FROM debian:12\nCOPY vendor/libfoo /src/libfoo\n# bulkhead-sbom: name=? version=?\nRUN cd /src/libfoo && ./configure --prefix=/usr/local && make -j4 && make install\n',
    },
    {
      name: 'a binary copied out of another image onto the PATH',
      code: 'FROM debian:12\nCOPY --from=hadolint/hadolint:v2.12.0 /bin/hadolint /usr/local/bin/\n',
      errors: [
        {
          text: '/bin/hadolint',
          line: 1,
          message:
            /^A binary copied out of another image \(COPY --from=hadolint\/hadolint:v2\.12\.0 \/bin\/hadolint\), dropped into \/usr\/local\/bin\/hadolint on the PATH: /,
        },
      ],
      output:
        'FROM debian:12\n# bulkhead-sbom: name=hadolint version=v2.12.0 source=hadolint/hadolint:v2.12.0\nCOPY --from=hadolint/hadolint:v2.12.0 /bin/hadolint /usr/local/bin/\n',
    },
    {
      name: 'cargo install of a tool',
      code: 'FROM rust:1.79\nRUN cargo install ripgrep@14.1.0\n',
      errors: [{ text: 'cargo install ripgrep@14.1.0', line: 1, message: /^A tool built by `cargo install`.*cargo-auditable/ }],
      output: 'FROM rust:1.79\n# bulkhead-sbom: name=ripgrep version=14.1.0\nRUN cargo install ripgrep@14.1.0\n',
    },
    {
      name: 'combination: a download in a builder flattened into the final image',
      code: 'FROM debian:12 AS builder\nRUN curl -fsSLo /usr/local/bin/helm https://get.example.com/helm-v3.15.2-linux-amd64 \\\n && chmod +x /usr/local/bin/helm\nFROM scratch\nCOPY --from=builder / /\n',
      errors: [{ text: 'https://get.example.com/helm-v3.15.2-linux-amd64', line: 1, message: /Shipped by COPY --from=builder \/ \/ \(line 5\)\.$/ }],
    },
    {
      name: 'combination: a binary copied out of the builder directory that holds it',
      code: 'FROM debian:12 AS tools\nRUN curl -fsSLo /usr/local/bin/yq https://github.com/mikefarah/yq/releases/download/v4.44.2/yq_linux_amd64 && chmod +x /usr/local/bin/yq\nFROM gcr.io/distroless/base\nCOPY --from=tools /usr/local/bin /usr/local/bin\n',
      errors: [
        {
          text: 'https://github.com/mikefarah/yq/releases/download/v4.44.2/yq_linux_amd64',
          line: 1,
          message: /Shipped by COPY --from=tools \/usr\/local\/bin/,
        },
      ],
    },
  ],
});

it('names the flattening COPY as related information', () => {
  const code = 'FROM debian:12 AS builder\nRUN curl -fsSLo /opt/app.tar.gz https://example.com/app-1.0.tar.gz\nFROM scratch\nCOPY --from=builder / /\n';
  const [finding] = lintWith(rule, { code }).filter((f) => f.ruleId === rule.id);
  assert.equal(finding.related?.length, 1);
  assert.equal(code.slice(finding.related![0].start, finding.related![0].end), 'COPY --from=builder / /');
  assert.match(finding.related![0].message, /ships it into the image/);
});

it('guesses names and versions from URLs without a regular expression on them', () => {
  assert.deepEqual(guessNameVersion('https://x/helm-v3.15.2-linux-amd64.tar.gz'), { name: 'helm', version: 'v3.15.2' });
  assert.deepEqual(guessNameVersion('https://dl.k8s.io/release/v1.30.2/bin/linux/amd64/kubectl'), { name: 'kubectl', version: 'v1.30.2' });
  assert.deepEqual(guessNameVersion('https://example.com/tool'), { name: 'tool' });
  assert.deepEqual(parseRecord(' bulkhead-sbom: name=a version=1 source=https://x/a'), { name: 'a', version: '1', source: 'https://x/a' });
  assert.equal(parseRecord(' just a comment'), undefined);
});
