/**
 * The engine breaks ties between findings at one offset by rule id in code-unit order (not with
 * `localeCompare`, which loads ICU's collator in every scan and depends on the runner's locale).
 * That order equals the collation order only for ids of lowercase ASCII letters, digits and hyphens:
 * every rule's id must be one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_RULES } from '../../rules';
import { ResolvedConfig } from '../../server/src/engine/config';
import { Engine } from '../../server/src/engine/engine';

describe('finding order', () => {
  it('every rule id is lowercase ASCII letters, digits and hyphens', () => {
    const odd = ALL_RULES.map((r) => r.id).filter((id) => !/^[a-z0-9-]+$/.test(id));
    assert.deepEqual(odd, []);
  });

  it('code-unit order of the rule ids is their collation order', () => {
    const ids = ALL_RULES.map((r) => r.id);
    const collated = [...ids].sort((a, b) => a.localeCompare(b, 'en'));
    const ordinal = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    assert.deepEqual(ordinal, collated);
  });

  it('findings at one offset come in rule id order', () => {
    const engine = new Engine(new ResolvedConfig(ALL_RULES, {}, 'all'));
    // Several Dockerfile rules report on the FROM line of this file.
    const result = engine.lint('/w/Dockerfile', 'FROM ubuntu\nRUN curl -k https://x.example/i.sh | sh\nADD http://x.example/a.tgz /a\n');
    let ties = 0;
    for (let i = 1; i < result.findings.length; i++) {
      const [a, b] = [result.findings[i - 1], result.findings[i]];
      assert.ok(a.start <= b.start);
      if (a.start === b.start) {
        ties++;
        assert.ok(a.ruleId.localeCompare(b.ruleId, 'en') <= 0, `${a.ruleId} before ${b.ruleId}`);
      }
    }
    assert.ok(ties > 0, 'the file has findings that share an offset');
  });
});
