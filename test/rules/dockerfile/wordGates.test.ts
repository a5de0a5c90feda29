/**
 * Rules that skip a file, script or command unless its text holds one of a few literal words test
 * them with one regex of the words (not an `includes` per word). Each word of each such list is
 * exercised here, so a word dropped from a regex fails a case.
 */
import { RuleTester } from '../../../rules/tester';
import { dockerfilePasswordInRun } from '../../../rules/dockerfile/passwordInRun';
import { dockerfileRunsAsRoot } from '../../../rules/dockerfile/runsAsRoot';
import { dockerfileSoftwareOutsidePackageManager } from '../../../rules/dockerfile/softwareOutsidePackageManager';

RuleTester.run(dockerfileRunsAsRoot, {
  valid: [
    { name: 'gosu', code: 'FROM debian:12\nENTRYPOINT ["gosu", "app", "/app"]\n' },
    { name: 'su-exec', code: 'FROM alpine:3.20\nCMD su-exec app /app\n' },
    { name: 'setpriv', code: 'FROM debian:12\nCMD ["setpriv", "--reuid=1000", "/app"]\n' },
    { name: 'chroot --userspec', code: 'FROM debian:12\nENTRYPOINT chroot --userspec=app / /app\n' },
    { name: 'runuser', code: 'FROM debian:12\nCMD runuser -u app -- /app\n' },
    { name: 'in a RUN of the parent stage', code: 'FROM debian:12 AS base\nRUN gosu nobody true\nFROM base\nCMD ["/app"]\n' },
  ],
  invalid: [
    {
      name: 'chroot without --userspec',
      code: 'FROM debian:12\nENTRYPOINT chroot / /app\n',
      errors: [{ line: 0, message: /never sets USER/ }],
    },
  ],
});

RuleTester.run(dockerfilePasswordInRun, {
  valid: [
    { name: 'another program with -p', code: 'FROM debian:12\nRUN cp -p /a /b && mkdir -p /c\n' },
    { name: 'passwd without a change', code: 'FROM debian:12\nRUN passwd -S root\n' },
    { name: 'the name only in an argument', code: 'FROM debian:12\nRUN echo useradd -p x\n' },
  ],
  invalid: [
    { name: 'chpasswd', code: 'FROM debian:12\nRUN echo "root:x" | chpasswd\n', errors: [{ text: 'chpasswd', line: 1 }] },
    { name: 'passwd -d by path', code: 'FROM debian:12\nRUN /usr/bin/passwd -d root\n', errors: [{ text: '/usr/bin/passwd', line: 1 }] },
    { name: 'useradd -p', code: 'FROM debian:12\nRUN useradd -p hash app\n', errors: [{ text: 'useradd', line: 1 }] },
    { name: 'usermod --password=', code: 'FROM debian:12\nRUN usermod --password=hash app\n', errors: [{ text: 'usermod', line: 1 }] },
    {
      name: 'adduser after a continuation',
      code: 'FROM debian:12\nRUN true && \\\n    adduser --password hash app\n',
      errors: [{ text: 'adduser', line: 2 }],
    },
  ],
});

RuleTester.run(dockerfileSoftwareOutsidePackageManager, {
  valid: [{ name: 'none of the words', code: 'FROM debian:12\nRUN apt-get update && apt-get install -y jq\n' }],
  invalid: [
    {
      name: 'ninja install',
      code: 'FROM debian:12\nRUN ninja -C build install\n',
      errors: [{ line: 1, message: /make install|source build/ }],
    },
    {
      name: 'meson install',
      code: 'FROM debian:12\nRUN meson install -C build\n',
      errors: [{ line: 1, message: /source build/ }],
    },
    {
      name: 'cmake --install',
      code: 'FROM debian:12\nRUN cmake --install build\n',
      errors: [{ line: 1, message: /source build/ }],
    },
    {
      name: 'gmake install',
      code: 'FROM debian:12\nRUN gmake install\n',
      errors: [{ line: 1, message: /source build/ }],
    },
    {
      name: 'cargo install',
      code: 'FROM rust:1\nRUN cargo install ripgrep\n',
      errors: [{ line: 1, message: /cargo install/ }],
    },
    {
      name: 'wget of an archive',
      code: 'FROM debian:12\nRUN wget https://example.com/tool-1.2.tar.gz\n',
      errors: [{ line: 1, message: /archive/ }],
    },
    {
      name: 'git clone and make',
      code: 'FROM debian:12\nRUN git clone https://example.com/x.git && cd x && make\n',
      errors: [{ line: 1, message: /cloned and built/ }],
    },
  ],
});
