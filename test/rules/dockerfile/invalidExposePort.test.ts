import { RuleTester } from '../../../rules/tester';
import { dockerfileInvalidExposePort } from '../../../rules/dockerfile/invalidExposePort';

RuleTester.run(dockerfileInvalidExposePort, {
  valid: [
    { name: 'ports, protocols, ranges', code: 'FROM alpine:3.20\nEXPOSE 0 80 53/udp 65535 8000-8010/tcp 9000/sctp\n' },
    { name: 'variables', code: 'FROM alpine:3.20\nARG PORT\nENV HTTP=8080\nEXPOSE $PORT ${HTTP} ${OTHER:-9090}\n' },
  ],
  invalid: [
    {
      name: 'out of range',
      code: 'FROM alpine:3.20\nEXPOSE 80 70000\n',
      errors: [{ text: '70000', line: 1, message: 'EXPOSE 70000 is invalid: ports are 0-65535.' }],
    },
    {
      name: 'reversed range, bad protocol',
      code: 'FROM alpine:3.20\nEXPOSE 9000-8000 80/http\n',
      errors: [
        { text: '9000-8000', line: 1, message: /ends before it starts/ },
        { text: '80/http', line: 1, message: /unknown protocol "http"/ },
      ],
    },
    {
      name: 'host mapping, and via a variable',
      code: 'FROM alpine:3.20\nENV P=99999\nEXPOSE 8080:80 $P\n',
      errors: [
        { text: '8080:80', line: 2, message: /container ports only/ },
        { text: '$P', line: 2, message: /\$P \(= 99999\)/ },
      ],
    },
  ],
});
