/**
 * The official CycloneDX 1.6 and SPDX 2.3 JSON schemas compiled with ajv, offline: CycloneDX's from
 * the `@cyclonedx/cyclonedx-library` package (with the SPDX licence-id and JSF schemas it references),
 * SPDX's vendored in test/fixtures/sbom (see the README there).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { ErrorObject } from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { REPO_ROOT } from '../support/paths';

const CDX_DIR = path.join(REPO_ROOT, 'node_modules', '@cyclonedx', 'cyclonedx-library', 'res', 'schema');
const readJson = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;

/** `iri-reference` (RFC 3987) is not in ajv-formats; a URL that WHATWG parsing accepts against a base, without blanks, is one. */
const iriReference = (s: string): boolean => !/\s/.test(s) && URL.canParse(s, 'http://base.invalid/');

export type Validate = (doc: unknown) => ErrorObject[] | null;

function compile(ajv: Ajv, schema: Record<string, unknown>): Validate {
  const validate = ajv.compile(schema);
  return (doc) => (validate(doc) ? null : (validate.errors ?? []));
}

export function cycloneDx16(): Validate {
  const ajv = new Ajv({ strict: false, allErrors: true, loadSchema: undefined });
  addFormats(ajv);
  ajv.addFormat('iri-reference', iriReference);
  ajv.addFormat('idn-email', true);
  // bom-1.6 refers to its companions by these names (relative to its $id).
  ajv.addSchema(readJson(path.join(CDX_DIR, 'spdx.SNAPSHOT.schema.json')), 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json');
  ajv.addSchema(readJson(path.join(CDX_DIR, 'jsf-0.82.SNAPSHOT.schema.json')), 'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json');
  ajv.addSchema(readJson(path.join(CDX_DIR, 'cryptography-defs.SNAPSHOT.schema.json')), 'http://cyclonedx.org/schema/cryptography-defs.SNAPSHOT.schema.json');
  return compile(ajv, readJson(path.join(CDX_DIR, 'bom-1.6.SNAPSHOT.schema.json')));
}

export function spdx23(): Validate {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  return compile(ajv as unknown as Ajv, readJson(path.join(REPO_ROOT, 'test', 'fixtures', 'sbom', 'spdx-2.3.schema.json')));
}

export function describeErrors(errors: ErrorObject[] | null): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
    .join('\n');
}
