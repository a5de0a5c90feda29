// The commands of a script classified by program (shared.ts: programName, programClass,
// classifiedCommands) list exactly the commands a walk over every command would pick, and the rules
// that read only those (world-writable, software-outside-package-manager, the deletions) still find
// every spelling of their programs they found by walking: paths, wrappers, assignments, quotes.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { lintWith } from '../../../rules/tester';
import { classifiedCommands, commandsOf, programClass, programName, runScripts } from '../../../rules/dockerfile/shared';
import { dockerfileWorldWritable } from '../../../rules/dockerfile/worldWritable';
import { dockerfileSoftwareOutsidePackageManager } from '../../../rules/dockerfile/softwareOutsidePackageManager';
import { dockerfileDeletesPackageDatabase } from '../../../rules/dockerfile/deletesPackageDatabase';
import { commandsToRead } from '../../../rules/dockerfile/deletions';
import { DockerfileModel } from '../../../server/src/documents/dockerfile';
import { seededRandom } from '../../support/loadWorkload';

type Rule = typeof dockerfileWorldWritable;
const found = (rule: Rule, code: string) => lintWith(rule, { code }).filter((f) => f.ruleId === rule.id);

const PROGRAM_WORDS = [
  'rm',
  '/bin/rm',
  'r""m',
  "'rm'",
  'RM',
  'rm/',
  '/',
  'sudo',
  'env',
  'A=1',
  'if',
  '!',
  'chmod',
  '/usr/bin/chmod',
  'zzq',
  '/opt/zzq',
  'zzq/',
  'x',
];
const ARG_WORDS = ['-f', '/var/lib/dpkg', '777', 'a b', '"q r"', 'zzq'];
const SEPARATORS = [' && ', '; ', ' | ', '\n  ', ' || ', ' $(', ') '];

function randomScript(rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  let out = '';
  const n = 1 + Math.floor(rnd() * 6);
  for (let c = 0; c < n; c++) {
    if (c > 0) out += pick(SEPARATORS);
    const words = 1 + Math.floor(rnd() * 4);
    for (let w = 0; w < words; w++) out += (w > 0 ? ' ' : '') + (w < 2 ? pick(PROGRAM_WORDS) : pick(ARG_WORDS));
  }
  return out;
}

it('classifiedCommands lists the commands running a registered name, in order, with their classes', () => {
  // A class registered after scripts were classified: they are classified again, not left without it.
  const early = new DockerfileModel('FROM alpine\nRUN zzq -v && rm -f /x\n');
  const earlyScript = runScripts(early)[0].script;
  const before = classifiedCommands(earlyScript);
  const names = ['zzq', '', 'rm'];
  const bit = programClass(names);
  const after = classifiedCommands(earlyScript);
  assert.notEqual(after, before);
  assert.deepEqual(
    after.commands.filter((_, j) => (after.classes[j] & bit) !== 0),
    [0, 1],
  );

  const rnd = seededRandom(33);
  for (let n = 0; n < 1500; n++) {
    const text = randomScript(rnd);
    const model = new DockerfileModel(`FROM alpine\nRUN ${text}\n`);
    for (const { script } of runScripts(model)) {
      const cmds = commandsOf(script);
      const listed = classifiedCommands(script);
      const want: number[] = [];
      for (let i = 0; i < cmds.length; i++) {
        const name = programName(cmds[i]);
        if (name !== undefined && names.includes(name)) want.push(i);
      }
      const got = listed.commands.filter((_, j) => (listed.classes[j] & bit) !== 0);
      assert.deepEqual(got, want, text);
      assert.equal((listed.all & bit) !== 0, want.length > 0, text);
      // In script order, each command once.
      for (let j = 1; j < listed.commands.length; j++) assert.ok(listed.commands[j - 1] < listed.commands[j], text);
    }
  }
});

it('deletions read the commands running their programs and every command holding a `>`, in order', () => {
  const read = ['cd', 'pushd', 'rm', 'unlink', 'shred', 'truncate', 'mv', 'find', 'ln', 'cp'];
  const words = ['rm', '/bin/cd', 'pushd', 'echo', ':', 'sudo', '>', '>x', '2>&1', '"a>b"', "'>'", '#', '# c > d', '$(', ')', '`', 'x>', '\\>', 'cp', 'ls'];
  const seps = [' ', ' ', ' && ', '; ', ' | ', '\n', ' $(', ') ', ' # > ', '\n# x>y\n'];
  const rnd = seededRandom(16);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  for (let n = 0; n < 3000; n++) {
    let text = pick(words);
    for (let w = Math.floor(rnd() * 12); w > 0; w--) text += pick(seps) + pick(words);
    const model = new DockerfileModel(`FROM alpine\nRUN ["sh", "-c", ${JSON.stringify(text)}]\nRUN ${text.replace(/\n/g, ' ')}\n`);
    for (const { script } of runScripts(model)) {
      const cmds = commandsOf(script);
      const redirects = script.text.includes('>');
      const want: number[] = [];
      for (let i = 0; i < cmds.length; i++) {
        const name = programName(cmds[i]);
        if ((name !== undefined && read.includes(name)) || (redirects && cmds[i].text.includes('>'))) want.push(i);
      }
      assert.deepEqual(commandsToRead(script, redirects), want, script.text);
    }
  }
});

it('programName is the program word from its last slash on', () => {
  const script = runScripts(new DockerfileModel('FROM alpine\nRUN sudo -E /usr/bin/curl x; A=1 env B=2 c"url" y; /bin/; FOO=1\n'))[0].script;
  assert.deepEqual(
    commandsOf(script).map((c) => programName(c)),
    ['curl', 'curl', '', undefined],
  );
});

it('world-writable: mkdir, install and chmod however written, in the folders it reads', () => {
  for (const [run, n] of [
    ['chmod 777 /data', 1],
    ['/bin/chmod 777 /data', 1],
    ['/usr/bin/chmod 4755 /app/x', 1],
    ['sudo chmod o+w /data', 1],
    ['env -i A=1 chmod a+w /data', 1],
    ['X=1 ch"mod" 777 /data', 1],
    ["'chmod' 777 /data", 1],
    ['/sbin/chmod 777 /data', 0],
    ['/usr/local/bin/chmod 777 /data', 0],
    ['chmod/ 777 /data', 0],
    ['CHMOD 777 /data', 0],
    ['mkdir -m 777 /data && /usr/bin/install -m 0777 a /b', 2],
    ['/bin/mkdir --mode=777 /d; if mkdir -m777 /e; then true; fi', 2],
    ['echo chmod 777 /data | sh', 0],
    ['apt-get update && chmod 755 /a && install -m 0777 a /b && rm -rf /x', 1],
  ] as const) {
    assert.equal(found(dockerfileWorldWritable, `FROM alpine\nRUN ${run}\n`).length, n, run);
  }
});

it('software-outside: a fetch however its program is written', () => {
  const rule = dockerfileSoftwareOutsidePackageManager as unknown as Rule;
  for (const [run, n] of [
    ['curl -fsSLo /usr/local/bin/kubectl https://dl.k8s.io/v1.30.0/bin/linux/amd64/kubectl && chmod +x /usr/local/bin/kubectl', 1],
    ['/usr/bin/curl -fsSLo /usr/local/bin/kubectl https://dl.k8s.io/v1.30.0/bin/linux/amd64/kubectl && chmod +x /usr/local/bin/kubectl', 1],
    // basename drops a trailing slash (`make/` is make): programName names it '', in the class too.
    ['cd /src && make/ install', 1],
    ['cargo// install ripgrep', 1],
    ['curl/ -fsSLo /usr/local/bin/kubectl https://dl.k8s.io/v1.30.0/bin/linux/amd64/kubectl && chmod +x /usr/local/bin/kubectl', 0],
    ['sudo wget -O /usr/local/bin/yq https://github.com/mikefarah/yq/releases/download/v4.44.1/yq_linux_amd64 && chmod 755 /usr/local/bin/yq', 1],
    ['cd /src && ./configure && make && /usr/bin/make install', 1],
    ['cargo install ripgrep --version 14.1.0', 1],
    ['echo curl -fsSLo /usr/local/bin/kubectl https://dl.k8s.io/kubectl', 0],
  ] as const) {
    assert.equal(found(rule, `FROM debian:12\nRUN ${run}\n`).length, n, run);
  }
});

it('deletes-package-database: deletions after cd/pushd, by path, wrapper or quotes, and by redirection', () => {
  const rule = dockerfileDeletesPackageDatabase as unknown as Rule;
  for (const [run, n] of [
    ['rm -rf /var/lib/dpkg', 1],
    ['/bin/rm -rf /var/lib/dpkg', 1],
    ['r""m -rf /var/lib/apk', 1],
    ['sudo env A=1 rm -rf /var/lib/rpm', 1],
    ['cd /var/lib && rm -rf dpkg', 1],
    ['/usr/bin/cd /var/lib; rm -rf dpkg', 1],
    ['pushd /var/lib && rm -rf pacman && popd', 1],
    ['cd /tmp && rm -rf dpkg', 0],
    ['echo rm -rf /var/lib/dpkg', 0],
    ['apt-get update && cd /etc && : > os-release', 1],
    ['ln -sf /dev/null /etc/os-release', 1],
    ['find /usr/lib/python3 -name "*.dist-info" -delete', 1],
    ['echo "a>b" 2>&1 && cd /var/lib && rm -rf dpkg > /dev/null', 1],
    ['cd /var/lib; echo hi # > x', 0],
    ['cd /var/lib/dpkg && : >status && X=$(cat a > b) && : > available', 2],
    ['cd /var/lib && echo `ls > /tmp/l` && echo > dpkg/status', 1],
    ['echo x > /tmp/y && cd /var/lib && ls && rm -rf rpm', 1],
  ] as const) {
    assert.equal(found(rule, `FROM debian:12\nRUN ${run}\n`).length, n, run);
  }
});
