import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { generatedFiles } from '../../scripts/generated';
import { REPO_ROOT } from '../support/paths';

describe('files generated from the rules', () => {
  for (const [file, content] of Object.entries(generatedFiles())) {
    it(`${file} is up to date (run npm run generate)`, () => {
      assert.equal(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'), content);
    });
  }
  it('package.json settings offer the same profiles as the config schema', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'schemas/bulkhead.schema.json'), 'utf8'));
    assert.deepEqual(pkg.contributes.configuration.properties['bulkhead.profile'].enum, schema.properties.profile.enum);
    assert.deepEqual(pkg.contributes.configuration.properties['bulkhead.rules'].additionalProperties, schema.definitions.ruleSetting);
  });
});
