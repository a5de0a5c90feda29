/** The Dockerfile rule pack. Add a rule module here to ship it. */
import type { DockerfileRule } from '../../server/src/engine/rule';
import { dockerfileRunsAsRoot } from './runsAsRoot';

export const DOCKERFILE_RULES: readonly DockerfileRule[] = [dockerfileRunsAsRoot];
