import { RuleTester } from '../../../rules/tester';
import { dockerfileDockerSocketVolume } from '../../../rules/dockerfile/dockerSocketVolume';

RuleTester.run(dockerfileDockerSocketVolume, {
  valid: [
    { name: 'data volume', code: 'FROM alpine:3.20\nVOLUME /data /var/lib/app\n' },
    { name: 'builder stage', code: 'FROM docker:27 AS tools\nVOLUME /var/run/docker.sock\nFROM alpine:3.20\n' },
    { name: 'a directory named like it', code: 'FROM alpine:3.20\nVOLUME ["/var/run/docker.sock.d"]\n' },
  ],
  invalid: [
    {
      name: 'docker socket',
      code: 'FROM docker:27-cli\nVOLUME /var/run/docker.sock\n',
      errors: [{ text: '/var/run/docker.sock', line: 1, message: /root on the host/ }],
    },
    {
      name: 'JSON form, containerd, several',
      code: 'FROM alpine:3.20\nVOLUME ["/data", "/run/containerd/containerd.sock"]\n',
      errors: [{ text: '"/run/containerd/containerd.sock"', line: 1 }],
    },
  ],
});
