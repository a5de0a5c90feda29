/**
 * Build-time SBOM speed: deriving the SBOM of every corpus Dockerfile against parsing them alone, and
 * how the time grows with a RUN ten times longer (linear reading means about 10x).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DockerfileModel } from '../server/src/documents/dockerfile';
import { classifyByName } from '../server/src/documents/classify';
import { walk } from '../server/src/node/files';
import { dockerfileSbom, modelSbom, toCycloneDx } from '../server/src/sbom';

function timeMs(runs: number, fn: () => void): number {
  fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / runs;
}

export function sbomBench(corpus: string): void {
  console.log('\nBuild-time SBOM');
  const files = fs.existsSync(corpus)
    ? [...walk(corpus)].filter((f) => classifyByName(f) === 'dockerfile').map((f) => ({ f, text: fs.readFileSync(f, 'utf8') }))
    : [];
  if (files.length) {
    const parse = timeMs(5, () => files.forEach(({ text }) => new DockerfileModel(text)));
    const sbom = timeMs(5, () => files.forEach(({ f, text }) => dockerfileSbom(path.basename(f), text)));
    const sboms = files.map(({ f, text }) => dockerfileSbom(path.basename(f), text));
    const write = timeMs(5, () => JSON.stringify(toCycloneDx(sboms, { toolVersion: 'bench', now: new Date(0), subject: 'corpus' })));
    console.log(
      `  ${files.length} corpus Dockerfiles: parse ${parse.toFixed(1)} ms, SBOM ${sbom.toFixed(1)} ms (${(sbom / parse).toFixed(1)}x parsing), CycloneDX JSON ${write.toFixed(1)} ms`,
    );
  }
  const run = (n: number): string =>
    `FROM alpine\nENV V=1\nRUN ${Array.from({ length: n }, (_, i) => `apk add p${i}=$V "q${i}" && curl -o f${i} https://example.com/${i}`).join(' \\\n && ')}\n`;
  // On a model parsed beforehand (its accessors cached after the first run), so that only the SBOM's
  // own reading is timed: dockerfile-ast's parse of one huge instruction is not linear by itself.
  const small = new DockerfileModel(run(500));
  const large = new DockerfileModel(run(5000));
  const ts = timeMs(5, () => modelSbom('Dockerfile', small));
  const tl = timeMs(5, () => modelSbom('Dockerfile', large));
  const parse = (n: number): number =>
    timeMs(1, () => {
      const m = new DockerfileModel(run(n));
      for (const i of m.instructions()) i.getArgumentsRange();
    });
  console.log(
    `  one RUN of 500 vs 5000 installs, SBOM reading only: ${ts.toFixed(1)} ms vs ${tl.toFixed(1)} ms (${(tl / ts).toFixed(1)}x for 10x the text); dockerfile-ast parse ${(parse(5000) / parse(500)).toFixed(1)}x`,
  );
}
