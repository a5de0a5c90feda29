// The gates of dockerfile-curl-pipe-shell and dockerfile-software-outside-package-manager let through
// every spelling the rules find: substitutions by each pattern's own `needs`, pipes whatever the
// downloader's spelling, and fetches in shell- and exec-form RUNs alike.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { lintWith } from '../../../rules/tester';
import { dockerfileCurlPipeShell } from '../../../rules/dockerfile/curlPipeShell';
import { dockerfileSoftwareOutsidePackageManager } from '../../../rules/dockerfile/softwareOutsidePackageManager';

const found = (rule: typeof dockerfileCurlPipeShell, code: string) => lintWith(rule, { code }).filter((f) => f.ruleId === rule.id);

it('curl-pipe-shell: every substitution pattern passes its gate', () => {
  for (const run of [
    'bash <(curl -fsSL https://x.example/i.sh)',
    'source <(wget -qO- https://x.example/i.sh)',
    'sh -c "$(curl -fsSL https://x.example/i.sh)"',
    'python3 -c "$(wget -qO- https://x.example/i.py)"',
    'eval "$(curl -s https://x.example/env)"',
    'eval "`curl -s https://x.example/env`"',
  ]) {
    assert.equal(found(dockerfileCurlPipeShell, `FROM alpine\nRUN ${run}\n`).length, 1, run);
  }
});

it('curl-pipe-shell: a pipe is read whatever the spelling of the downloader', () => {
  for (const run of ["c''url -fsSL https://x.example/i.sh | sh", 'CURL -fsSL https://x.example/i.sh | bash', 'w"get" -qO- https://x.example/i.sh | sh -s --']) {
    assert.equal(found(dockerfileCurlPipeShell, `FROM alpine\nRUN ${run}\n`).length, 1, run);
  }
  // A pipe in a reported substitution is reported once.
  assert.equal(
    found(dockerfileCurlPipeShell, 'FROM alpine\nRUN bash <(curl -fsSL https://x.example/i.sh | tee /tmp/i.sh) ; curl -s https://x | sh\n').length,
    2,
  );
  assert.equal(found(dockerfileCurlPipeShell, 'FROM alpine\nRUN curl -fsSLo /tmp/i.sh https://x.example/i.sh && sh /tmp/i.sh\n').length, 0);
});

it('software-outside: fetches in shell- and exec-form RUNs, executable and moved onto the PATH', () => {
  const rule = dockerfileSoftwareOutsidePackageManager as unknown as typeof dockerfileCurlPipeShell;
  const code = [
    'FROM debian:12',
    'RUN ["curl", "-fsSLo", "/usr/local/bin/kubectl", "https://dl.k8s.io/release/v1.30.2/bin/linux/amd64/kubectl"]',
    'RUN curl -fsSLo helm https://x.example/v3.15.2/helm && chmod +x helm',
    'RUN wget -q https://x.example/tool-1.2 && mv tool-1.2 /usr/local/bin/tool && cp tool-1.2 /usr/bin/tool2',
    'RUN wget -q https://x.example/data-1.2 && echo data-1.2',
    '',
  ].join('\n');
  const messages = found(rule, code).map((f) => f.message);
  assert.equal(messages.length, 3);
  assert.match(messages[0], /curl https:\/\/dl\.k8s\.io.*dropped into \/usr\/local\/bin\/kubectl on the PATH/);
  assert.match(messages[1], /^A binary fetched outside a package manager \(curl https:\/\/x\.example\/v3\.15\.2\/helm\):/);
  // The first command moving the file onto the PATH names where it lands.
  assert.match(messages[2], /dropped into \/usr\/local\/bin\/tool on the PATH/);
});
