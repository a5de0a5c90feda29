/**
 * The shipped image is a language toolchain (golang, rust, maven, a JDK, or node/python with package
 * installs in it): compilers, package managers and a shell go to production. The fix splits a
 * single-stage build into a build stage and a minimal runtime stage (scratch for static Go,
 * distroless for Node, Python and Java), running as a non-root UID.
 */
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from '../../server/src/documents/dockerfile';
import type { DockerfileRule, Fix, TextEdit } from '../../server/src/engine/rule';
import { detectEol } from '../../server/src/text/lineIndex';
import { baseImageRefs, canAppendInstruction, ImageRef, keyword, runScripts, argumentsText, commandsOf } from './shared';
import { trimEndOf } from '../text';

type Toolchain = 'go' | 'rust' | 'java' | 'node' | 'python';

/** A Map: image names are the file's text, and `FROM constructor` must not find Object's. */
const NAMES = new Map<string, Toolchain>([
  ['golang', 'go'],
  ['rust', 'rust'],
  ['maven', 'java'],
  ['gradle', 'java'],
  ['openjdk', 'java'],
  ['eclipse-temurin', 'java'],
  ['amazoncorretto', 'java'],
  ['sapmachine', 'java'],
  ['node', 'node'],
  ['python', 'python'],
]);

const LABEL: Record<Toolchain, string> = { go: 'Go', rust: 'Rust', java: 'Java (JDK)', node: 'Node.js', python: 'Python' };

/** Package-manager runs that make a node/python final stage a build stage. */
const INSTALLS = /^(npm|yarn|pnpm)\s+(ci|install|i|add|run\s+build)\b|^(pip3?|python3?\s+-m\s+pip)\s+install\b|^(poetry|pipenv)\s+install\b/;

/**
 * Dockerfiles whose image is meant to be a toolchain: development and CI images (`Dockerfile.dev`,
 * `*.tilt`), code generators (`genproto/`, `codegen/`), build helpers (`hack/`, `.devcontainer/`) —
 * judged from the file name and its two parent folders only.
 */
function isToolingImage(file: string): boolean {
  const normalized = file.replace(/\\/g, '/');
  const name = normalized.slice(normalized.lastIndexOf('/') + 1);
  if (/(^|[.-])(dev|tilt|test|tests|ci|debug|local|builder|tools?|devcontainer)([.-]|$)/i.test(name.replace(/^(docker|container)file/i, ''))) return true;
  // Only the two folders above the file: where the repository itself lives must not matter.
  const parents = normalized.split('/').slice(-3, -1);
  return parents.some((p) => /^(hack|\.devcontainer|genproto|codegen)$/i.test(p));
}

function toolchainOf(ref: ImageRef): Toolchain | undefined {
  if (ref.scratch || ref.unresolved) return undefined;
  const last = ref.repository.split('/').pop()!.toLowerCase();
  const kind = NAMES.get(last);
  if (!kind) return undefined;
  // A JRE-only Java image is a runtime, not a toolchain.
  if (kind === 'java' && /jre/i.test(ref.tag ?? '')) return undefined;
  return kind;
}

/** The stage the final stage builds on, down to the one with a real base image. */
function rootOf(stage: Stage): Stage {
  let s = stage;
  for (let hops = 0; s.parent && hops < 64; hops++) s = s.parent;
  return s;
}

function chain(stage: Stage): Stage[] {
  const out: Stage[] = [];
  for (let s: Stage | undefined = stage, hops = 0; s && hops < 64; s = s.parent, hops++) out.push(s);
  return out;
}

function installsPackages(model: DockerfileModel, stages: Stage[]): boolean {
  const runs = runScripts(model, stages);
  for (let r = 0; r < runs.length; r++) {
    const cmds = commandsOf(runs[r].script);
    for (let c = 0; c < cmds.length; c++) {
      const ws = cmds[c].words;
      const p = cmds[c].program;
      // The line tested starts with the program, and every INSTALLS alternative with `n`, `p` or `y`:
      // other commands are not joined (a loop, not slice/map: word lists are frozen, which V8 slices slowly).
      const first = p < ws.length ? ws[p].value.charCodeAt(0) : -1;
      if (first !== 110 /* n */ && first !== 112 /* p */ && first !== 121 /* y */) continue;
      let line = ws[p].value;
      for (let i = p + 1; i < ws.length; i++) line += ` ${ws[i].value}`;
      if (INSTALLS.test(line)) return true;
    }
  }
  return false;
}

export const dockerfileToolchainFinalImage: DockerfileRule = {
  id: 'dockerfile-toolchain-final-image',
  language: 'dockerfile',
  title: 'Shipped image is a build toolchain',
  category: 'dockerfile',
  severity: 'warning',
  description:
    'The final stage runs on a language toolchain image (golang, rust, maven/gradle or a JDK; node or python ' +
    'when the stage also installs packages): compilers, package managers, git and a shell ship to production, ' +
    'hundreds of MB of packages for scanners to report and for an intruder to use. A multi-stage build keeps ' +
    'them in a build stage and ships only the artifact on `scratch` (static Go) or distroless.',
  remediation:
    'Build in a stage (`FROM golang:1.22 AS build`), then `FROM scratch` / `gcr.io/distroless/...:nonroot` and ' +
    '`COPY --from=build` only the binary, jar or app folder. The quick-fix does this for single-stage Go, Node, ' +
    'Python 3.11 and Maven/Gradle builds it recognises.',
  // No other tool has this check (a gap in hadolint, BuildKit, Trivy, Checkov and Semgrep alike).
  references: [],
  fixes: [{ title: 'Split into a build stage and a minimal runtime stage', applicability: 'unsafe' }],
  recommended: true,
  docsUrl: 'https://docs.docker.com/build/building/multi-stage/',
  check(ctx) {
    const model = ctx.dockerfile;
    const final = model.finalStage;
    if (!final) return;
    const root = rootOf(final);
    const ref = baseImageRefs(model).find((r) => r.stage === root);
    if (!ref) return;
    const kind = toolchainOf(ref);
    // The file name is judged only for a toolchain image (most final stages are none).
    if (!kind || isToolingImage(ctx.filePath)) return;
    if ((kind === 'node' || kind === 'python') && !installsPackages(model, chain(final))) return;
    // The plan appends the runtime stage at the end of the file, which must start a new instruction there.
    const plan = model.stages.length === 1 && canAppendInstruction(model) ? planSplit(model, final, ref, kind) : undefined;
    const fixes: Fix[] = plan ? [{ title: 'Split into a build stage and a minimal runtime stage', applicability: 'unsafe', edits: () => plan }] : [];
    ctx.report({
      at: ctx.spanOf(final.from),
      message: `The shipped image is the ${LABEL[kind]} toolchain (${ref.resolved}): compilers, package managers and a shell go to production. Build in a stage and ship only the artifact${plan ? '' : ' (no automatic fix: the build was not recognised)'}.`,
      fixes,
    });
  },
};

// ---- the split ------------------------------------------------------------------------------

/** Instructions that describe the running container: they move to the runtime stage. */
const RUNTIME = new Set(['EXPOSE', 'LABEL', 'ENTRYPOINT', 'CMD', 'USER', 'STOPSIGNAL', 'VOLUME', 'HEALTHCHECK']);

interface Block {
  instr: Instruction;
  /** Offsets of the lines (with comment lines directly above) to remove. */
  start: number;
  end: number;
  text: string;
}

function blockOf(model: DockerfileModel, instr: Instruction): Block {
  const range = instr.getRange();
  let first = range.start.line;
  while (first > 0 && /^\s*#/.test(model.lines.lineText(first - 1)) && !/^#\s*(syntax|escape|check)\s*=/i.test(model.lines.lineText(first - 1))) first--;
  const start = model.lines.lineStart(first);
  const end = range.end.line + 1 < model.lines.lineCount ? model.lines.lineStart(range.end.line + 1) : model.text.length;
  return { instr, start, end, text: model.text.slice(start, end) };
}

/** Exec-form arguments of CMD/ENTRYPOINT (`["node", "server.js"]`), or undefined for shell form. */
function execArgs(instr: Instruction): string[] | undefined {
  const raw = (argumentsText(instr) ?? '').trim();
  if (!raw.startsWith('[')) return undefined;
  try {
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? (parsed as string[]) : undefined;
  } catch {
    return undefined;
  }
}

function workdirBefore(stage: Stage, instr: Instruction | undefined): string | undefined {
  let wd: string | undefined;
  for (const i of stage.instructions) {
    if (instr && i === instr) break;
    if (keyword(i) === 'WORKDIR') {
      const v = (argumentsText(i) ?? '').trim();
      if (!v || v.includes('$')) return undefined;
      wd = v.startsWith('/') ? v : `${(wd ?? '').replace(/\/$/, '')}/${v}`;
    }
  }
  return wd;
}

function absolute(path: string, wd: string | undefined): string | undefined {
  if (path.includes('$') || /[*?[]/.test(path)) return undefined;
  if (path.startsWith('/')) return path;
  return `${(wd ?? '').replace(/\/$/, '')}/${path.replace(/^\.\//, '')}`;
}

function json(args: string[]): string {
  return `[${args.map((a) => JSON.stringify(a)).join(', ')}]`;
}

/** The `-o` output of the stage's `go build` and its RUN, if there is exactly one build. */
function goBuild(model: DockerfileModel, stage: Stage): { run: Instruction; out: string; cgoSet: boolean } | undefined {
  let found: { run: Instruction; out: string; cgoSet: boolean } | undefined;
  for (const { script } of runScripts(model, [stage])) {
    for (const c of commandsOf(script)) {
      const ws = c.words;
      const p = c.program;
      if (ws[p]?.value !== 'go' || ws[p + 1]?.value !== 'build') continue;
      const i = ws.findIndex((w) => w.value === '-o' || w.value.startsWith('-o='));
      const out = i < 0 ? undefined : ws[i].value === '-o' ? ws[i + 1]?.value : ws[i].value.slice(3);
      if (!out || found) return undefined;
      found = { run: script.instr, out, cgoSet: /\bCGO_ENABLED=/.test(script.text) };
    }
  }
  return found;
}

function planSplit(model: DockerfileModel, stage: Stage, ref: ImageRef, kind: Toolchain): TextEdit[] | undefined {
  const eol = detectEol(model.text);
  const blocks = stage.instructions.filter((i) => RUNTIME.has(keyword(i))).map((i) => blockOf(model, i));
  // A health check needs a shell or curl, which the runtime image will not have.
  if (blocks.some((b) => keyword(b.instr) === 'HEALTHCHECK' && !/^\s*NONE\s*$/i.test(argumentsText(b.instr) ?? ''))) return undefined;
  const commands = blocks.filter((b) => ['CMD', 'ENTRYPOINT'].includes(keyword(b.instr)));
  const others = blocks.filter((b) => !['CMD', 'ENTRYPOINT', 'USER'].includes(keyword(b.instr)));
  const envs = stage.instructions.filter((i) => keyword(i) === 'ENV');
  const stageName = stage.name ?? 'build';
  const edits: TextEdit[] = [];

  let runtime: string[];
  let commandLines: string[];
  if (kind === 'go') {
    const build = goBuild(model, stage);
    if (!build) return undefined;
    const out = absolute(build.out, workdirBefore(stage, build.run));
    if (!out) return undefined;
    // The exec-form command must run the binary itself; scratch has no shell.
    for (const c of commands) {
      const args = execArgs(c.instr);
      if (!args || !args.length) return undefined;
    }
    const cgoByEnv = envs.some((e) => /\bCGO_ENABLED=/.test(argumentsText(e) ?? ''));
    if (!build.cgoSet && !cgoByEnv) {
      const at = model.lines.lineStart(build.run.getRange().start.line);
      edits.push({ start: at, end: at, newText: `ENV CGO_ENABLED=0${eol}` });
    }
    runtime = ['FROM scratch', `COPY --from=${stageName} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/`, `COPY --from=${stageName} ${out} ${out}`];
    runtime.push(
      ...envs
        .filter((e) => !/^\s*(GO\w*|CGO_\w+|PATH)[= ]/.test(argumentsText(e) ?? ''))
        .map((e) => model.text.slice(model.span(e.getRange()).start, model.span(e.getRange()).end)),
    );
    commandLines = commands.length ? commands.map((c) => trimEndOf(c.text, '\r\n')) : [`ENTRYPOINT ${json([out])}`];
  } else {
    const command = commands[commands.length - 1];
    const args = command && execArgs(command.instr);
    if (!args || commands.length !== 1) return undefined;
    const wd = workdirBefore(stage, undefined);
    if (!wd || !wd.startsWith('/')) return undefined;
    const tag = ref.tag ?? '';
    if (/alpine/i.test(tag)) return undefined; // musl-built native modules would not run on distroless (glibc)
    const copyEnv = envs.map((e) => model.text.slice(model.span(e.getRange()).start, model.span(e.getRange()).end));
    if (kind === 'node') {
      const major = /^(\d+)/.exec(tag)?.[1];
      if (!major || !['18', '20', '22', '24'].includes(major) || args[0] !== 'node' || args.length < 2) return undefined;
      runtime = [`FROM gcr.io/distroless/nodejs${major}-debian12:nonroot`, `WORKDIR ${wd}`, `COPY --from=${stageName} ${wd} ${wd}`, ...copyEnv];
      commandLines = [`CMD ${json(args.slice(1))}`];
    } else if (kind === 'python') {
      if (!/^3\.11(\b|[.-])/.test(tag) || !/^python3?(\.11)?$/.test(args[0]) || args.length < 2) return undefined;
      const site = '/usr/local/lib/python3.11/site-packages';
      runtime = [
        'FROM gcr.io/distroless/python3-debian12:nonroot',
        `WORKDIR ${wd}`,
        `COPY --from=${stageName} ${site} ${site}`,
        `COPY --from=${stageName} ${wd} ${wd}`,
        ...copyEnv,
        `ENV PYTHONPATH=${site}`,
      ];
      commandLines = [`CMD ${json(args.slice(1))}`];
    } else if (kind === 'java') {
      const version = /(?:^|[^\d])(17|21)(?:[^\d]|$)/.exec(tag)?.[1];
      if (!version || args[0] !== 'java' || args[1] !== '-jar' || args.length < 3) return undefined;
      const jar = absolute(args[2], wd);
      if (!jar) return undefined;
      runtime = [`FROM gcr.io/distroless/java${version}-debian12:nonroot`, `COPY --from=${stageName} ${jar} /app/app.jar`, ...copyEnv];
      commandLines = [`CMD ${json(['/app/app.jar', ...args.slice(3)])}`];
    } else {
      return undefined;
    }
  }

  // Name the build stage.
  if (!stage.name) {
    const fromRange = stage.from.getRange();
    const at = model.span(fromRange).end;
    edits.push({ start: at, end: at, newText: ` AS ${stageName}` });
  }
  // Move the runtime instructions (with their comments) out of the build stage.
  for (const b of blocks) edits.push({ start: b.start, end: b.end, newText: '' });
  const lines = [...runtime, ...others.map((b) => trimEndOf(b.text, '\r\n')), 'USER 65532:65532', ...commandLines];
  const tail = model.text.length;
  const needsBreak = tail > 0 && !/[\r\n]$/.test(model.text);
  edits.push({ start: tail, end: tail, newText: `${needsBreak ? eol : ''}${eol}${lines.join(eol)}${eol}` });
  return edits;
}
