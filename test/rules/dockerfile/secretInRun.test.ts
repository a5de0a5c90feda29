import { RuleTester } from '../../../rules/tester';
import { dockerfileSecretInLabel, dockerfileSecretInRun } from '../../../rules/dockerfile/secretInRun';
import { dockerfileCopySecretFile } from '../../../rules/dockerfile/copySecretFile';

RuleTester.run(dockerfileSecretInRun, {
  valid: [
    {
      name: 'variables, build secrets and placeholders',
      code: 'FROM alpine:3.20\nARG DB_PASSWORD\nRUN --mount=type=secret,id=db,env=DB_PASSWORD ./migrate --password "$DB_PASSWORD"\nRUN docker login -u bot -p "$(cat /run/secrets/reg)" registry.internal\nRUN curl -u "$USER:$PASS" https://x/ && mysql -p -h db\nRUN ./configure --password=changeme --token <token>\n',
    },
    {
      name: 'flags that only look alike',
      code: 'FROM alpine:3.20\nRUN ssh-keygen -t ed25519 -N "" -f /k && useradd --password-file /dev/null app && redis-cli -h db ping\n',
    },
    { name: 'date -u with a format (moby/buildkit)', code: 'FROM alpine:3.20\nRUN echo -n "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > /tmp/.commit_date\n' },
    {
      name: '-p of docker run is a port; a login reading its password from stdin or a variable',
      code: 'FROM docker:27\nRUN docker run -p 8080:80 nginx && podman run -p 9090:90 x\nRUN docker login -u bot --password-stdin reg.io < /run/secrets/reg && skopeo login -u bot -p "$REG" quay.io\n',
    },
  ],
  invalid: [
    {
      name: 'flags, assignments, curl -u, mysql -p, sshpass -p',
      code: 'FROM alpine:3.20\nRUN DB_PASSWORD=Hx7Lp2Qz9Wm4Vr ./migrate --api-key Zq8rT2vLx5mNw4Kp9Bc3\nRUN curl -u deploy:Vr8Lq2Xz9Wm4Tn https://repo.internal/pkg.tgz | tar xz\nRUN mysql -h db \\\n    -pRt7Lq2Xz9Wm4 < /schema.sql && sshpass -p Mv4Zt8Qr2Lx6 ssh host true\n',
      errors: [
        { text: 'Hx7Lp2Qz9Wm4Vr', line: 1, message: /^RUN passes DB_PASSWORD a literal password "Hx…" \(14 characters\)/ },
        { text: 'Zq8rT2vLx5mNw4Kp9Bc3', line: 1 },
        { text: 'Vr8Lq2Xz9Wm4Tn', line: 2, message: /-u user:password/ },
        { text: 'Rt7Lq2Xz9Wm4', line: 4 },
        { text: 'Mv4Zt8Qr2Lx6', line: 4 },
      ],
    },
    {
      name: 'registry logins with -p',
      code: 'FROM docker:27\nRUN docker login -u bot -p Tk5Rm2Zq9Lx4 reg.io && docker run -p 8080:80 nginx\nRUN podman login --username bot -p Hq4Lm9Vx2Tz7 quay.io\n',
      errors: [
        { text: 'Tk5Rm2Zq9Lx4', line: 1, message: /^RUN passes -p a literal password "Tk…" \(12 characters\)/ },
        { text: 'Hq4Lm9Vx2Tz7', line: 2 },
      ],
    },
  ],
});

RuleTester.run(dockerfileSecretInLabel, {
  valid: [
    {
      name: 'ordinary labels',
      code: 'FROM alpine:3.20\nLABEL org.opencontainers.image.source=https://github.com/o/r maintainer.token-url=https://x/ vault.secret-path=/kv/app\n',
    },
  ],
  invalid: [
    {
      name: 'a credential-named label',
      code: 'FROM alpine:3.20\nLABEL deploy.api-token="Zq8rT2vLx5mNw4Kp9Bc3" version=1\n',
      errors: [{ text: 'deploy.api-token="Zq8rT2vLx5mNw4Kp9Bc3"', line: 1, message: /^LABEL deploy\.api-token holds a credential "Zq8r…" \(20 characters\)/ }],
    },
  ],
});

RuleTester.run(dockerfileCopySecretFile, {
  valid: [
    {
      name: 'the variable names a file the image does not receive',
      code: 'FROM google/cloud-sdk:480.0.0\nENV GOOGLE_APPLICATION_CREDENTIALS=/var/run/secrets/gcp/key.json\nCOPY app.py /app/\n',
    },
  ],
  invalid: [
    {
      name: 'COPY to the path a credential variable or gcloud --key-file names',
      code: 'FROM google/cloud-sdk:480.0.0\nENV GOOGLE_APPLICATION_CREDENTIALS=/app/sa.json\nCOPY sa.json app.py /app/\nCOPY deploy/ci.json /tmp/ci.json\nRUN gcloud auth activate-service-account --key-file=/tmp/ci.json\n',
      errors: [
        {
          text: 'sa.json',
          line: 2,
          message: /^COPY of sa\.json to \/app\/sa\.json, the credential file GOOGLE_APPLICATION_CREDENTIALS names, puts it into an image layer/,
        },
        // The key reaches the image through the COPY before it; the RUN that reads it without a secret mount says so.
        {
          text: '--key-file=/tmp/ci.json',
          line: 4,
          message: /^gcloud --key-file \/tmp\/ci\.json reads a service-account key that this RUN does not mount as a secret/,
        },
      ],
    },
  ],
});
