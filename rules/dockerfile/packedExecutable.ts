import type { DockerfileRule } from '../../server/src/engine/rule';
import { basename, runScripts, scriptSpan, commandsOf } from './shared';
import { shippedBy, stagesWithShippedFiles } from './shippedFileSystems';

/** Options of upx that take a value (the rest are flags or the files to pack). */
const VALUED = new Set(['-o', '--output', '--compress-icons', '--strip-relocs', '--overlay']);

export const dockerfilePackedExecutable: DockerfileRule = {
  id: 'dockerfile-packed-executable',
  language: 'dockerfile',
  title: 'Executable packed with UPX (hides its contents from scanners)',
  category: 'dockerfile',
  severity: 'warning',
  description:
    '`upx` compresses an executable into a self-extracting stub. Scanners that identify software inside binaries ' +
    "(the Go build information and Rust `cargo-auditable` data Trivy and Syft/Grype read, Syft's binary " +
    'classifiers for well-known programs) see only the stub, so the modules compiled into it and their ' +
    "vulnerabilities drop out of the image's SBOM; packing is also a common malware trait that some registries " +
    'flag. Flagged where the packed file reaches the image: the final stage, the stages it builds on, and builder ' +
    'stages whose whole file system or whose directory of the file a shipped stage copies. `upx -d` (unpacking) ' +
    'and `upx -t`/`-l` (testing, listing) are not flagged.',
  remediation:
    'Ship the binary unpacked: strip it (`-ldflags="-s -w"` for Go, `strip`) and use a minimal base image instead. ' +
    'If it must be packed, publish the build-time SBOM (`bulkhead sbom`) with the image so its modules stay on record.',
  references: [],
  fixes: [],
  recommended: true,
  check(ctx) {
    const model = ctx.dockerfile;
    for (const { stage, script } of runScripts(model, stagesWithShippedFiles(model))) {
      if (!script.text.includes('upx')) continue;
      for (const cmd of commandsOf(script)) {
        if (!cmd.text.includes('upx')) continue;
        const ws = cmd.words;
        const p = cmd.program;
        if (p >= ws.length || basename(ws[p].value) !== 'upx') continue;
        const args = ws.slice(p + 1);
        if (args.some((a) => /^-[a-zA-Z]*[dtlV]$|^--(?:decompress|test|list|version|help)$/.test(a.value))) continue;
        const files = args.filter((a, i) => !a.value.startsWith('-') && !VALUED.has(args[i - 1]?.value ?? ''));
        const output = args.findIndex((a) => a.value === '-o' || a.value === '--output');
        const packed = output >= 0 && args[output + 1] ? [args[output + 1].value] : files.map((f) => f.value);
        const reach = packed.map((f) => shippedBy(model, stage, f)).filter((v) => v !== undefined);
        if (!reach.length) continue;
        const via = reach.includes(null) ? null : reach[0];
        const last = args[args.length - 1] ?? ws[p];
        const related = via ? ctx.spanOf(via.instr) : undefined;
        ctx.report({
          at: scriptSpan(script, cmd.start + ws[p].start, cmd.start + last.end),
          message:
            `UPX packs ${packed.join(', ') || 'this executable'}: scanners that read the software compiled into binaries (Go build information and Rust audit data in Trivy and Syft/Grype, Syft's binary classifiers) see only the packed stub, so its modules and their vulnerabilities are missing from the image's SBOM.` +
            (via ? ` Shipped by COPY --from=${via.from} ${via.source} ${via.dest} (line ${via.instr.getRange().start.line + 1}).` : ''),
          ...(via && related
            ? {
                related: [
                  {
                    path: ctx.filePath,
                    start: related.start,
                    end: related.end,
                    message: `COPY --from=${via.from} ${via.source} ${via.dest} ships the packed file into the image`,
                  },
                ],
              }
            : {}),
        });
      }
    }
  },
};
