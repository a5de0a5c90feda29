/**
 * `CliConfigs` remembers each folder's config for one run (a scan asks twice per file). The memory
 * belongs to one `CliConfigs`: a config file created after a run looked a folder up is found by the
 * next run, and within a run every folder still gets its nearest config.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CliConfigs } from '../../server/src/cli/configs';

function tree(): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bulkhead-configs-')));
  fs.mkdirSync(path.join(root, 'a', 'b', 'c'), { recursive: true });
  fs.mkdirSync(path.join(root, 'd'), { recursive: true });
  return root;
}

describe('CliConfigs folder cache', () => {
  it('gives each folder its nearest config, the same object for files of one folder', () => {
    const root = tree();
    try {
      fs.writeFileSync(path.join(root, 'a', '.bulkhead.yaml'), 'profile: pss-baseline\n');
      const configs = new CliConfigs({ cwd: root });
      const deep = configs.forPath(path.join(root, 'a', 'b', 'c', 'Dockerfile'));
      assert.equal(deep.file, path.join(root, 'a', '.bulkhead.yaml'));
      assert.equal(configs.forPath(path.join(root, 'a', 'b', 'c', 'Dockerfile.dev')), deep);
      assert.equal(configs.forPath(path.join(root, 'a', 'b', 'Dockerfile')), deep);
      assert.equal(configs.forPath(path.join(root, 'a', 'b'), true), deep);
      assert.equal(configs.forPath(path.join(root, 'd', 'Dockerfile')).file, undefined);
      assert.equal(configs.forPath(root, true).file, undefined);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('a config created between two runs is found by the second', () => {
    const root = tree();
    try {
      const first = new CliConfigs({ cwd: root });
      assert.equal(first.forPath(path.join(root, 'a', 'b', 'c', 'Dockerfile')).file, undefined);
      assert.equal(first.forPath(path.join(root, 'd', 'Dockerfile')).file, undefined);
      fs.writeFileSync(path.join(root, 'a', 'b', '.bulkhead.yml'), 'profile: pss-baseline\n');
      fs.writeFileSync(path.join(root, '.bulkhead.yaml'), 'profile: all\n');
      const second = new CliConfigs({ cwd: root });
      assert.equal(second.forPath(path.join(root, 'a', 'b', 'c', 'Dockerfile')).file, path.join(root, 'a', 'b', '.bulkhead.yml'));
      assert.equal(second.forPath(path.join(root, 'd', 'Dockerfile')).file, path.join(root, '.bulkhead.yaml'));
      assert.equal(second.forPath(path.join(root, 'a', 'b', 'c'), true).file, path.join(root, 'a', 'b', '.bulkhead.yml'));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('a config created between two folders of one run is found for the folder looked up after it', () => {
    const root = tree();
    try {
      const configs = new CliConfigs({ cwd: root });
      assert.equal(configs.forPath(path.join(root, 'd', 'Dockerfile')).file, undefined);
      fs.writeFileSync(path.join(root, 'a', 'b', '.bulkhead.yaml'), 'profile: pss-baseline\n');
      assert.equal(configs.forPath(path.join(root, 'a', 'b', 'c', 'Dockerfile')).file, path.join(root, 'a', 'b', '.bulkhead.yaml'));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
