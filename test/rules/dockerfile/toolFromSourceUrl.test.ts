import { RuleTester } from '../../../rules/tester';
import { dockerfileToolFromSourceUrl } from '../../../rules/dockerfile/toolFromSourceUrl';

RuleTester.run(dockerfileToolFromSourceUrl, {
  valid: [
    {
      name: 'registry installs',
      code: 'FROM python:3.12\nRUN pip install --no-cache-dir requests==2.32.3 -i https://pypi.example.com/simple\nRUN go install ./cmd/app\n',
    },
    {
      name: 'builder stage copied selectively',
      code: 'FROM golang:1.22 AS b\nRUN go install github.com/go-delve/delve/cmd/dlv@v1.23.0\nFROM gcr.io/distroless/static\nCOPY --from=b /go/bin/app /app\n',
    },
    {
      name: 'an index URL is not a source',
      code: 'FROM python:3.12\nRUN python -m pip install --extra-index-url https://download.pytorch.org/whl/cpu torch==2.3.1\n',
    },
  ],
  invalid: [
    {
      name: 'go install of a tool',
      code: 'FROM golang:1.22\nRUN go install golang.org/x/tools/gopls@v0.16.1\n',
      errors: [
        {
          text: 'golang.org/x/tools/gopls@v0.16.1',
          line: 1,
          message: /^go install golang.org\/x\/tools\/gopls@v0.16.1 builds a binary outside any package database: Trivy and Syft\/Grype/,
        },
      ],
    },
    {
      name: 'pip from VCS and URL, python -m pip',
      code: 'FROM python:3.12\nRUN pip install git+https://github.com/o/lib.git@v1.0 && python3 -m pip install "tool @ https://example.com/tool-2.0.tar.gz"\n',
      errors: [
        { text: 'git+https://github.com/o/lib.git@v1.0', line: 1, message: /version-control checkout/ },
        { text: '"tool @ https://example.com/tool-2.0.tar.gz"', line: 1, message: /from a URL/ },
      ],
    },
    {
      name: 'combination: flattened builder',
      code: 'FROM golang:1.22 AS b\nRUN go install github.com/o/tool@latest\nFROM scratch\nCOPY --from=b / /\n',
      errors: [{ text: 'github.com/o/tool@latest', line: 1 }],
    },
  ],
});
