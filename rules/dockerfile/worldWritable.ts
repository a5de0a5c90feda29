import type { DockerfileRule } from '../../server/src/engine/rule';
import { classifiedCommands, commandsOf, flagsOf, keyword, programClass, programName, runScripts, scriptSpan, shippedStages } from './shared';

export interface ModeProblem {
  worldWritable: boolean;
  setuid: boolean;
}

/** What a chmod mode does that matters: world-writable (without sticky bit) or setuid. */
export function modeProblem(mode: string): ModeProblem | undefined {
  if (/^[0-7]{3,4}$/.test(mode)) {
    const digits = mode.padStart(4, '0');
    const special = Number(digits[0]);
    const other = Number(digits[3]);
    const worldWritable = (other & 2) !== 0 && (special & 1) === 0;
    const setuid = (special & 4) !== 0;
    return worldWritable || setuid ? { worldWritable, setuid } : undefined;
  }
  let worldWritable = false;
  let setuid = false;
  let sticky = false;
  for (const clause of mode.split(',')) {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    if (!m) return undefined;
    const [, who, op, perms] = m;
    if (op === '-') continue;
    if (perms.includes('w') && (who.includes('o') || who.includes('a'))) worldWritable = true;
    if (perms.includes('s') && (who === '' || who.includes('u') || who.includes('a'))) setuid = true;
    if (perms.includes('t')) sticky = true;
  }
  if (sticky) worldWritable = false;
  return worldWritable || setuid ? { worldWritable, setuid } : undefined;
}

function describe(p: ModeProblem): string {
  if (p.worldWritable && p.setuid) return 'world-writable and setuid';
  return p.worldWritable ? 'world-writable' : 'setuid';
}

/**
 * The programs read (mkdir and install for `-m`, chmod), as written: one of these names, bare or
 * in one of FOLDERS. The commands are classified by name (programClass), their folder tested after.
 */
const CHMOD = 'chmod';
const PROGRAMS = programClass(['mkdir', 'install', CHMOD]);
const FOLDERS: ReadonlySet<string> = new Set(['', '/bin/', '/usr/bin/']);
const NONE: ReadonlySet<string> = new Set();

const isWordCode = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace = (c: string): boolean => /\s/.test(c);

/**
 * The names `/\b(\w+)=["']?\$\(\s*mktemp\b/g` captures in `text`, found from each `mktemp` back
 * to its assignment instead of trying the regex at every word of the script. Each match ends at
 * its own `mktemp` and its name is the whole run of word characters before the `=`, so reading
 * back from every `mktemp` followed by a non-word character finds the same names.
 */
export function mktempNames(text: string): Set<string> {
  const out = new Set<string>();
  for (let at = text.indexOf('mktemp'); at >= 0; at = text.indexOf('mktemp', at + 1)) {
    if (at + 6 < text.length && isWordCode(text.charCodeAt(at + 6))) continue;
    let k = at;
    while (k > 0 && isSpace(text[k - 1])) k--;
    if (k < 2 || text[k - 1] !== '(' || text[k - 2] !== '$') continue;
    k -= 2;
    if (k > 0 && (text[k - 1] === '"' || text[k - 1] === "'")) k--;
    if (k < 1 || text[k - 1] !== '=') continue;
    const end = k - 1;
    let start = end;
    while (start > 0 && isWordCode(text.charCodeAt(start - 1))) start--;
    if (start < end) out.add(text.slice(start, end));
  }
  return out;
}

export const dockerfileWorldWritable: DockerfileRule = {
  id: 'dockerfile-world-writable',
  language: 'dockerfile',
  title: 'World-writable or setuid files in the image',
  category: 'dockerfile',
  severity: 'warning',
  description:
    'The shipped image makes files world-writable (`chmod 777`, `666`, `a+w`, `o+w`, `COPY --chmod=777`) or ' +
    'adds the setuid bit (`chmod u+s`, `+s`, `4755`). Any process in the container, whatever its user, can ' +
    'then rewrite the application or its configuration, and a setuid binary is a ready-made path back to ' +
    'root. Directories with the sticky bit (`chmod 1777 /tmp`) and setgid directories (`g+s`) are not ' +
    'flagged, nor are builder stages.',
  remediation:
    'Give ownership to the runtime user instead (`COPY --chown=<uid>:<gid>`, `chown`) and use `755`/`644`, or ' +
    '`g=u` with group 0 for OpenShift-style arbitrary UIDs. Remove setuid bits (`chmod u-s`) unless the binary ' +
    'must run as root.',
  references: [],
  fixes: [],
  recommended: true,
  check(ctx) {
    const model = ctx.dockerfile;
    const stages = shippedStages(model);
    const runs = runScripts(model, stages);
    for (let r = 0; r < runs.length; r++) {
      const script = runs[r].script;
      // Only the commands running one of PROGRAMS (few) are read.
      const only = classifiedCommands(script);
      if ((only.all & PROGRAMS) === 0) continue;
      // Private temporary directories (`dir="$(mktemp -d)"`) made accessible to a helper user such as apt's `_apt`.
      const temps = script.text.includes('mktemp') ? mktempNames(script.text) : NONE;
      const cmds = commandsOf(script);
      for (let c = 0; c < only.commands.length; c++) {
        if ((only.classes[c] & PROGRAMS) === 0) continue;
        const cmd = cmds[only.commands[c]];
        const ws = cmd.words;
        const p = cmd.program;
        // One of PROGRAMS by its name (what follows the last `/`): the folder before it is tested here.
        const program = ws[p].value;
        const name = programName(cmd) as string;
        if (!FOLDERS.has(program.slice(0, program.length - name.length))) continue;
        if (name !== CHMOD) {
          // `mkdir -m 777 /data`, `install -m 0777 …`, `--mode=777`
          // A loop, not findIndex: word lists are frozen, and V8 searches a frozen array on its slow path.
          let m = -1;
          for (let i = p + 1; i < ws.length && m < 0; i++) {
            const v = ws[i].value;
            if (v === '-m' || v === '--mode' || /^--mode=/.test(v) || /^-m\d{3,4}$/.test(v)) m = i;
          }
          if (m < 0) continue;
          const mode = ws[m].value.startsWith('--mode=') ? ws[m].value.slice(7) : /^-m\d/.test(ws[m].value) ? ws[m].value.slice(2) : (ws[m + 1]?.value ?? '');
          const problem = modeProblem(mode);
          if (!problem) continue;
          const last = ws[ws.length - 1];
          ctx.report({
            at: scriptSpan(script, cmd.start + ws[p].start, cmd.start + last.end),
            message: `${ws[p].value} -m ${mode} creates ${describe(problem)} files: ${problem.worldWritable ? 'any user in the container can modify them' : "running them grants their owner's privileges"}.`,
          });
          continue;
        }
        let k = p + 1;
        while (k < ws.length && /^(?:-[RfvcHLP]+|--[\w-]+(?:=.*)?)$/.test(ws[k].value)) k++;
        if (k >= ws.length) continue;
        const problem = modeProblem(ws[k].value);
        if (!problem) continue;
        const paths = ws.slice(k + 1).map((w) => w.value);
        if (paths.length && paths.every((x) => temps.has(x.replace(/^\$\{?(\w+)\}?$/, '$1')) || /^\$\(\s*mktemp\b/.test(x))) continue;
        const last = ws[ws.length - 1];
        ctx.report({
          at: scriptSpan(script, cmd.start + ws[p].start, cmd.start + last.end),
          message: `chmod ${ws[k].value} makes ${paths.join(' ') || 'files'} ${describe(problem)}: ${problem.worldWritable ? 'any user in the container can modify them' : "running them grants their owner's privileges"}.`,
        });
      }
    }
    for (const stage of stages) {
      for (const instr of stage.instructions) {
        const kw = keyword(instr);
        if (kw !== 'COPY' && kw !== 'ADD') continue;
        for (const flag of flagsOf(instr)) {
          if (flag.name !== 'chmod' || !flag.value) continue;
          const problem = modeProblem(flag.value);
          if (!problem) continue;
          ctx.report({
            at: ctx.spanOf(flag.range),
            message: `${kw} --chmod=${flag.value} makes the copied files ${describe(problem)}.`,
          });
        }
      }
    }
  },
};
