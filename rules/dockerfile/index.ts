/** The Dockerfile rule pack. Add a rule module here to ship it. */
import type { DockerfileRule } from '../../server/src/engine/rule';
import { dockerfileRunsAsRoot } from './runsAsRoot';
import { dockerfileToolchainFinalImage } from './toolchainFinalImage';
import { dockerfileLatestTag } from './latestTag';
import { dockerfileImageNotPinnedByDigest } from './imageNotPinnedByDigest';
import { dockerfileSecretInArgEnv } from './secretInArgEnv';
import { dockerfileHardcodedToken } from './hardcodedToken';
import { dockerfileCopySecretFile } from './copySecretFile';
import { dockerfileSecretInLabel, dockerfileSecretInRun } from './secretInRun';
import { dockerfileCurlPipeShell } from './curlPipeShell';
import { dockerfileRemoteAddWithoutChecksum } from './remoteAddWithoutChecksum';
import { dockerfileAddInsteadOfCopy } from './addInsteadOfCopy';
import { dockerfileTlsVerificationDisabled } from './tlsVerificationDisabled';
import { dockerfileSudo } from './sudo';
import { dockerfileWorldWritable } from './worldWritable';
import { dockerfileInsecureRunSecurity } from './insecureRunSecurity';
import { dockerfileDockerSocketVolume } from './dockerSocketVolume';
import { dockerfileDeletesPackageDatabase } from './deletesPackageDatabase';
import { dockerfileDeletesDependencyManifest } from './deletesDependencyManifest';
import { dockerfileFlattenedImage } from './flattenedImage';
import { dockerfileExposesRemoteAccessPort } from './exposesRemoteAccessPort';
import { dockerfileExposeOnlyPort } from './exposeOnlyPort';
import { dockerfileInvalidExposePort } from './invalidExposePort';
import { dockerfileAptNoInstallRecommends } from './aptNoInstallRecommends';
import { dockerfileAptUpdateAlone } from './aptUpdateAlone';
import { dockerfileShellFormCmd } from './shellFormCmd';
import { dockerfileMissingPipefail } from './missingPipefail';
import { dockerfileNpmInstallNotCi } from './npmInstallNotCi';
import { dockerfileMalformedExecForm } from './malformedExecForm';
import { dockerfileWorkdirSystemDirectory } from './workdirSystemDirectory';
import { dockerfilePasswordInRun } from './passwordInRun';
import { dockerfileUntrustedBaseRegistry } from './untrustedBaseRegistry';
import { dockerfileNonNumericUser } from './nonNumericUser';
import { dockerfileUnpinnedPackageVersion } from './unpinnedPackageVersion';
import { dockerfileSoftwareOutsidePackageManager } from './softwareOutsidePackageManager';
import { dockerfilePackedExecutable } from './packedExecutable';
import { dockerfileToolFromSourceUrl } from './toolFromSourceUrl';

export const DOCKERFILE_RULES: readonly DockerfileRule[] = [
  dockerfileRunsAsRoot,
  dockerfileToolchainFinalImage,
  dockerfileLatestTag,
  dockerfileImageNotPinnedByDigest,
  dockerfileSecretInArgEnv,
  dockerfileHardcodedToken,
  dockerfileCopySecretFile,
  dockerfileSecretInRun,
  dockerfileSecretInLabel,
  dockerfileCurlPipeShell,
  dockerfileRemoteAddWithoutChecksum,
  dockerfileAddInsteadOfCopy,
  dockerfileTlsVerificationDisabled,
  dockerfileSudo,
  dockerfileWorldWritable,
  dockerfileInsecureRunSecurity,
  dockerfileDockerSocketVolume,
  dockerfileDeletesPackageDatabase,
  dockerfileDeletesDependencyManifest,
  dockerfileFlattenedImage,
  dockerfileExposesRemoteAccessPort,
  dockerfileExposeOnlyPort,
  dockerfileInvalidExposePort,
  dockerfileAptNoInstallRecommends,
  dockerfileAptUpdateAlone,
  dockerfileShellFormCmd,
  dockerfileMissingPipefail,
  dockerfileNpmInstallNotCi,
  dockerfileMalformedExecForm,
  dockerfileWorkdirSystemDirectory,
  dockerfilePasswordInRun,
  dockerfileUntrustedBaseRegistry,
  dockerfileNonNumericUser,
  dockerfileUnpinnedPackageVersion,
  dockerfileSoftwareOutsidePackageManager,
  dockerfilePackedExecutable,
  dockerfileToolFromSourceUrl,
];
