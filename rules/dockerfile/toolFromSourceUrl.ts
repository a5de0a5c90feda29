import type { DockerfileRule } from '../../server/src/engine/rule';
import { basename, runScripts, scriptSpan, commandsOf } from './shared';
import { shippedFileSystems } from './shippedFileSystems';

/** pip options whose value is an index or a link page, not what is installed. */
const PIP_VALUED = new Set([
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '-c',
  '--constraint',
  '-r',
  '--requirement',
  '--target',
  '-t',
  '--prefix',
  '--root',
  '--trusted-host',
  '--cache-dir',
  '--src',
  '--platform',
  '--python-version',
]);

const isVcs = (v: string): boolean => /^(?:git|hg|svn|bzr)\+/.test(v);
const isUrl = (v: string): boolean => /^(?:https?|ftp):\/\//.test(v);

export const dockerfileToolFromSourceUrl: DockerfileRule = {
  id: 'dockerfile-tool-from-source-url',
  language: 'dockerfile',
  title: 'Tool installed by `go install` or pip from a URL or VCS',
  category: 'dockerfile',
  severity: 'info',
  description:
    'Installs that bypass the package registry leave scanners a partial view. `go install module@version` builds a ' +
    'Go binary: Trivy and Syft/Grype read the build information embedded in it and list its modules, but scanners ' +
    'that read only package databases do not. `pip install git+https://…` or `pip install https://…/pkg.tar.gz` ' +
    'writes normal `dist-info` metadata, so scanners list the package, but under the name and version the source ' +
    "declares, not the commit or archive it came from: a fork or a patched copy is matched against the release's " +
    'vulnerabilities. Not measured in the ORCA study; info level and off by default. Only the final stage and the ' +
    'stages whose whole file system ships are read.',
  remediation:
    'Install released versions from the registry (`pip install pkg==1.2.3`), or record the source above the ' +
    'instruction (`# bulkhead-sbom: name=… version=… source=…`) so the build-time SBOM keeps it.',
  references: [],
  fixes: [],
  recommended: false,
  check(ctx) {
    const model = ctx.dockerfile;
    const whole = [...shippedFileSystems(model).whole.keys()];
    for (const { script } of runScripts(model, whole)) {
      for (const cmd of commandsOf(script)) {
        // Only `go …` and `pip …` commands matter: skip the rest before cutting them into words.
        if (!cmd.text.includes('go') && !cmd.text.includes('pip')) continue;
        const ws = cmd.words;
        const p = cmd.program;
        if (p >= ws.length) continue;
        const prog = basename(ws[p].value);
        const args = ws.slice(p + 1);
        if (prog === 'go' && args[0]?.value === 'install') {
          for (const a of args.slice(1)) {
            if (a.value.startsWith('-') || a.value.startsWith('.') || !a.value.includes('@')) continue;
            ctx.report({
              at: scriptSpan(script, cmd.start + a.start, cmd.start + a.end),
              message: `go install ${a.value} builds a binary outside any package database: Trivy and Syft/Grype list its modules from the embedded Go build information, scanners that read only package databases miss it.`,
            });
          }
        } else if (/^pip[\d.]*$/.test(prog) || (/^python[\d.]*$/.test(prog) && args[0]?.value === '-m' && /^pip[\d.]*$/.test(args[1]?.value ?? ''))) {
          const rest = prog.startsWith('python') ? args.slice(2) : args;
          if (rest[0]?.value !== 'install') continue;
          rest.slice(1).forEach((a, i, all) => {
            if (PIP_VALUED.has(all[i - 1]?.value ?? '')) return;
            // `pkg @ https://…` names the package in the word before the `@`.
            const source = a.value.includes(' @ ') ? a.value.slice(a.value.indexOf(' @ ') + 3) : a.value;
            if (!isVcs(source) && !isUrl(source)) return;
            ctx.report({
              at: scriptSpan(script, cmd.start + a.start, cmd.start + a.end),
              message: `pip installs ${source} from ${isVcs(source) ? 'a version-control checkout' : 'a URL'}: scanners list it under the name and version it declares, not the ${isVcs(source) ? 'commit' : 'archive'} it came from, so a fork or patched copy is matched against the release's vulnerabilities.`,
            });
          });
        }
      }
    }
  },
};
