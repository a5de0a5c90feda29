import { RuleTester } from '../../../rules/tester';
import { digestProblem, imageNotPinnedByDigest } from '../../../rules/kubernetes/images';
import assert from 'node:assert/strict';
import { it } from 'node:test';

const image = (img: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: ${img}\n`;
const SHA256 = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const SHA512 = `sha512:${'0123456789abcdef'.repeat(8)}`;

RuleTester.run(imageNotPinnedByDigest, {
  valid: [
    { name: 'tag and sha256 digest', code: image(`nginx:1.27@${SHA256}`) },
    { name: 'digest only', code: image(`registry.local:5000/app@${SHA256}`) },
    { name: 'sha512', code: image(`nginx@${SHA512}`) },
  ],
  invalid: [
    {
      name: 'no digest',
      code: image('nginx:1.27'),
      errors: [{ text: 'nginx:1.27', line: 7, message: 'container "c" of Pod/p uses "nginx:1.27" without a digest.' }],
    },
    {
      name: 'short digest',
      code: image('nginx@sha256:abc'),
      errors: [{ text: 'nginx@sha256:abc', message: /malformed \(a sha256 digest is 64 lower-case hex digits\): it pins nothing/ }],
    },
    { name: 'upper-case hex', code: image(`nginx@${SHA256.toUpperCase().replace('SHA256', 'sha256')}`), errors: [{ message: /64 lower-case hex digits/ }] },
    { name: 'unknown algorithm', code: image(`nginx@md5:${'a'.repeat(32)}`), errors: [{ message: /"md5" is not a digest algorithm registries accept/ }] },
    { name: 'sha512 with 64 digits', code: image(`nginx@sha512:${'a'.repeat(64)}`), errors: [{ message: /a sha512 digest is 128/ }] },
    { name: 'no algorithm', code: image(`nginx@${'a'.repeat(64)}`), errors: [{ message: /is not a digest algorithm/ }] },
  ],
});

it('digestProblem accepts exactly the OCI sha256/sha512 forms', () => {
  assert.equal(digestProblem(SHA256), undefined);
  assert.equal(digestProblem(SHA512), undefined);
  assert.ok(digestProblem(`${SHA256}0`));
  assert.ok(digestProblem('sha256:'));
  assert.ok(digestProblem(''));
});
