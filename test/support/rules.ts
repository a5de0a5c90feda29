/**
 * The first rules, which the engine, CLI and server tests are written against. Tests of the
 * machinery use this fixed set so that adding rules to a pack does not change their expectations.
 */
import { ALL_RULES } from '../../rules';

const SPINE = new Set([
  'yaml-syntax-error',
  'yaml-duplicate-key',
  'privileged-container',
  'host-network',
  'host-pid',
  'host-ipc',
  'deprecated-service-account-field',
  'dockerfile-runs-as-root',
]);

export const SPINE_RULES = ALL_RULES.filter((r) => SPINE.has(r.id));
