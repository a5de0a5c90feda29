/**
 * What user the shipped image runs as: the last USER of the final stage, inherited through
 * `FROM <earlier stage>`, else the base image's default.
 */
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel, Stage } from '../../server/src/documents/dockerfile';
import { argumentsText, escapeCharacter, keyword, rawArgumentsText } from './shared';
import { MemoSlot } from '../../server/src/documents/memo';

/** Base images known to default to a non-root user. */
const NON_ROOT_BASES: readonly RegExp[] = [/^cgr\.dev\/chainguard\//, /^(?:docker\.io\/)?bitnami\//, /^gcr\.io\/distroless\/[\w.-]+:nonroot/];

/**
 * A distroless-style non-root tag: `:nonroot`, `:debug-nonroot`, `:nonroot-amd64`. The tag is cut
 * off first: one regex over the whole reference (`/:(?:[\w.-]*-)?nonroot(?:[-.][\w.-]*)?$/`)
 * is quadratic on `:-nonroot.-nonroot.…!`.
 */
function nonRootTag(image: string): boolean {
  const tag = image.slice(image.lastIndexOf(':') + 1);
  return image.includes(':') && /^[\w.-]*$/.test(tag) && /(?:^|-)nonroot(?![^-.])/.test(tag);
}

const WINDOWS_BASE = /(windows|nanoserver|servercore|mcr\.microsoft\.com\/(?:dotnet\/framework|powershell))/i;
/**
 * Windows bases whose default user is ContainerAdministrator: Server Core, the full Windows and
 * Windows Server images, and what Microsoft builds on Server Core (.NET Framework, IIS, the
 * `windowsservercore` tags of .NET and PowerShell). Nano Server defaults to ContainerUser.
 */
const WINDOWS_ADMIN_BASE =
  /servercore|^(?:mcr\.microsoft\.com\/)?windows(?:\/server)?(?::|$)|^mcr\.microsoft\.com\/(?:dotnet\/framework\/|windows\/iis|windows\/servercore\/iis)|^(?:docker\.io\/)?microsoft\/(?:windowsservercore|iis|aspnet|dotnet-framework)(?::|$)/i;

/** The default user a Windows base image runs as, when the image name says it. */
export function windowsDefaultUser(image: string | undefined): 'ContainerAdministrator' | 'ContainerUser' | undefined {
  if (!image) return undefined;
  if (/nanoserver/i.test(image)) return 'ContainerUser';
  return WINDOWS_ADMIN_BASE.test(image) ? 'ContainerAdministrator' : undefined;
}
/** Images that start as root and switch users in their entrypoint (the official-image pattern). */
const PRIVILEGE_DROP = /\b(gosu|su-exec|setpriv|chroot\s+--userspec|runuser)\b/;
/**
 * Text each match of PRIVILEGE_DROP contains: most commands (and files) have none, and are not
 * scanned. One regex of the literal words is one pass over a whole file's text, where an `includes`
 * per word was five (each slow on the common first letters `s`, `c` and `r`).
 */
const PRIVILEGE_DROP_WORDS = /gosu|su-exec|setpriv|chroot|runuser/;
const dropsPrivilegesWordIn = (text: string): boolean => PRIVILEGE_DROP_WORDS.test(text);
const dropsPrivilegesIn = (text: string): boolean => dropsPrivilegesWordIn(text) && PRIVILEGE_DROP.test(text);
const COMMAND_KEYWORDS = new Set(['RUN', 'ENTRYPOINT', 'CMD']);

export type EffectiveUser =
  | { kind: 'user'; instruction: Instruction; value: string; root: boolean | undefined; stage: Stage }
  | {
      kind: 'default';
      stage: Stage;
      base: string | undefined;
      nonRootBase: boolean;
      /** A Windows image: its default user is ContainerUser, or not known from its name. */
      windows: boolean;
      /** A Windows image that runs as ContainerAdministrator unless told otherwise (Server Core). */
      windowsAdmin: boolean;
      dropsPrivileges: boolean;
    };

export function isRootUser(value: string): boolean | undefined {
  const user = value.split(':')[0].trim();
  if (/[$]/.test(user)) return undefined;
  return user === 'root' || user === '0' || /^ContainerAdministrator$/i.test(user);
}

export function isNonRootBase(image: string | undefined, extra: readonly string[] = []): boolean {
  if (!image) return false;
  return nonRootTag(image) || NON_ROOT_BASES.some((re) => re.test(image)) || extra.some((p) => image.startsWith(p));
}

/** Answers by stage, for the base-image list they were given: runs-as-root and non-numeric-user both ask. */
const usersByStage = new MemoSlot<Stage, { bases: string; user: EffectiveUser }[]>();

export function effectiveUser(model: DockerfileModel, stage: Stage, nonRootBases: readonly string[] = []): EffectiveUser {
  const bases = nonRootBases.join('\n');
  let known = usersByStage.get(stage);
  const hit = known?.find((k) => k.bases === bases);
  if (hit) return hit.user;
  const user = computeEffectiveUser(model, stage, nonRootBases);
  if (!known) usersByStage.set(stage, (known = []));
  known.push({ bases, user });
  return user;
}

function computeEffectiveUser(model: DockerfileModel, stage: Stage, nonRootBases: readonly string[]): EffectiveUser {
  let dropsPrivileges = false;
  // An instruction's raw arguments are a piece of the file's text, and dropsPrivilegesIn needs one
  // of its words there: in a file naming none (most), no instruction's arguments are read for it.
  const mayDropPrivileges = dropsPrivilegesWordIn(model.text);
  for (let s: Stage | undefined = stage, hops = 0; s && hops < 64; s = s.parent, hops++) {
    for (let i = s.instructions.length - 1; i >= 0; i--) {
      const instr = s.instructions[i];
      const kw = keyword(instr);
      if (kw === 'USER') {
        const raw = argumentsText(instr) ?? '';
        const resolved = raw.replace(/\$\{?(\w+)\}?/g, (m, name: string) => model.ast.resolveVariable(name, instr.getRange().start.line) ?? m);
        return { kind: 'user', instruction: instr, value: resolved, root: isRootUser(resolved), stage: s };
      }
      if (mayDropPrivileges && COMMAND_KEYWORDS.has(kw) && dropsPrivilegesIn(rawArgumentsText(instr) ?? '')) {
        dropsPrivileges = true;
      }
    }
    if (!s.parent) {
      const base = s.baseImage;
      const windowsAdmin = windowsDefaultUser(base) === 'ContainerAdministrator';
      return {
        kind: 'default',
        stage: s,
        base,
        nonRootBase: isNonRootBase(base, nonRootBases),
        windows: !windowsAdmin && ((base !== undefined && WINDOWS_BASE.test(base)) || escapeCharacter(model) === '`'),
        windowsAdmin,
        dropsPrivileges,
      };
    }
  }
  return { kind: 'default', stage, base: stage.baseImage, nonRootBase: false, windows: false, windowsAdmin: false, dropsPrivileges };
}
