/**
 * sudo reads a RUN command by command only when its script can spell `sudo` (the letters with only
 * quotes between them): each case here runs sudo written the way that makes it hardest to see.
 */
import { RuleTester } from '../../../rules/tester';
import { dockerfileSudo } from '../../../rules/dockerfile/sudo';

RuleTester.run(dockerfileSudo, {
  valid: [
    { name: 'letters of sudo apart', code: 'FROM debian:12\nUSER app\nRUN s=1 && u=2 && echo "$s$u" do\n' },
    { name: 'sudo split by a backslash (kept in the word)', code: 'FROM debian:12\nUSER app\nRUN su\\do true\n' },
  ],
  invalid: [
    {
      name: 'quotes inside the word',
      code: 'FROM debian:12\nUSER app\nRUN su"do" apt-get update\n',
      errors: [{ text: 'su"do"', line: 2 }],
    },
    {
      name: 'empty quotes between each letter',
      code: "FROM debian:12\nUSER app\nRUN s''u\"\"d''o true\n",
      errors: [{ text: "s''u\"\"d''o", line: 2 }],
    },
    {
      name: 'a quoted path',
      code: 'FROM debian:12\nUSER app\nRUN "/usr/bin/sudo" true\n',
      errors: [{ text: '"/usr/bin/sudo"', line: 2 }],
    },
    {
      name: 'after a line continuation',
      code: 'FROM debian:12\nUSER app\nRUN apt-get update && \\\n    sudo true\n',
      errors: [{ text: 'sudo', line: 3 }],
    },
    {
      name: 'exec form',
      code: 'FROM debian:12\nUSER app\nRUN ["sudo", "true"]\n',
      errors: [{ line: 2, message: /^sudo in RUN/ }],
    },
  ],
});
