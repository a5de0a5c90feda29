import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RuleTester } from '../../../rules/tester';
import { dockerfileExposeOnlyPort, nameFromPath } from '../../../rules/dockerfile/exposeOnlyPort';

const DOCKERFILE =
  'FROM golang:1.22 AS build\nEXPOSE 6060\nRUN go build -o /app .\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /app /app\n# the API and the metrics\nEXPOSE 8080 9090\nENTRYPOINT ["/app"]\n';
const deployment = (image: string, ports: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n      - name: api\n        image: ${image}\n        ports: [${ports}]\n`;
const SERVICE =
  'apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\nspec:\n  selector: {app: api}\n  ports:\n  - {port: 80, targetPort: metrics}\n';

RuleTester.run(dockerfileExposeOnlyPort, {
  valid: [
    { name: 'no manifest deploys the image: nothing to compare with', code: DOCKERFILE, path: '/ws/services/api/Dockerfile' },
    {
      name: 'both ports declared: containerPort and a named Service targetPort',
      code: DOCKERFILE,
      path: '/ws/services/api/Dockerfile',
      files: {
        '/ws/k8s/api.yaml': `${deployment('registry.example.com/shop/api:1.4', '{containerPort: 8080}, {name: metrics, containerPort: 9090}')}---\n${SERVICE}`,
      },
    },
    {
      name: "builder stage ports are not the image's",
      code: DOCKERFILE.replace('EXPOSE 8080 9090', 'EXPOSE 8080'),
      path: '/ws/services/api/Dockerfile',
      files: { '/ws/k8s/api.yaml': deployment('api', '{containerPort: 8080}') },
    },
    {
      name: 'a port from a build argument without a default is not judged',
      code: 'FROM alpine:3.20\nARG PORT\nEXPOSE $PORT\n',
      path: '/ws/api/Dockerfile',
      files: { '/ws/k8s/api.yaml': deployment('api', '{containerPort: 8080}') },
    },
    {
      name: 'a folder-name guess does not reach manifests of another project',
      code: 'FROM alpine:3.20\nEXPOSE 443\n',
      path: '/corpus/ingress/images/nginx/rootfs/Dockerfile',
      files: { '/corpus/examples/guestbook/frontend.yaml': deployment('nginx', '{containerPort: 80}') },
    },
    {
      name: 'a compose service publishing the port',
      code: 'FROM alpine:3.20\nEXPOSE 5000\n',
      path: '/ws/worker/Dockerfile',
      files: { '/ws/docker-compose.yml': 'services:\n  worker:\n    build: ./worker\n    ports: ["127.0.0.1:80:5000"]\n' },
    },
  ],
  invalid: [
    {
      name: 'one of two ports undeclared: the fix removes just that port, keeping the comment',
      code: DOCKERFILE,
      path: '/ws/services/api/Dockerfile',
      files: { '/ws/k8s/api.yaml': deployment('api:1.4', '{containerPort: 8080}') },
      errors: [{ text: '9090', line: 6, message: /^EXPOSE 9090: nothing deploying this image declares port 9090 \(Deployment\/api \(api.yaml\)\)/ }],
      output: DOCKERFILE.replace('EXPOSE 8080 9090', 'EXPOSE 8080'),
    },
    {
      name: 'the only port undeclared: the instruction goes; skaffold links the Dockerfile to its image',
      code: 'FROM alpine:3.20\r\nEXPOSE 7000/tcp\r\nCMD ["/srv"]\r\n',
      path: '/ws/src/Dockerfile',
      files: {
        '/ws/skaffold.yaml': 'apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  artifacts:\n  - image: currency\n    context: src\n',
        '/ws/k8s/currency.yaml': deployment('currency', '{containerPort: 7001}'),
      },
      errors: [{ text: '7000/tcp', line: 1 }],
      output: 'FROM alpine:3.20\r\nCMD ["/srv"]\r\n',
    },
    {
      name: 'compose file naming the Dockerfile explicitly',
      code: 'FROM alpine:3.20\nEXPOSE 5000 5001\n',
      path: '/ws/build/worker.Dockerfile',
      files: { '/ws/compose.yaml': 'services:\n  worker:\n    build: {context: ., dockerfile: build/worker.Dockerfile}\n    expose: ["5000"]\n' },
      errors: [{ text: '5001', message: /compose service "worker" \(compose.yaml\)/ }],
      output: 'FROM alpine:3.20\nEXPOSE 5000\n',
    },
    {
      name: 'explicit mapping in settings',
      code: 'FROM alpine:3.20\nEXPOSE 22 8080\n',
      path: '/ws/docker/Dockerfile',
      settings: { dockerfileImages: { 'docker/Dockerfile': ['ghcr.io/acme/portal'] } },
      files: { '/ws/k8s/portal.yaml': deployment('ghcr.io/acme/portal:2', '{containerPort: 8080}') },
      errors: [{ text: '22' }],
    },
  ],
});

describe('image name from a Dockerfile path', () => {
  it('uses the folder, skipping generic ones, or the name before .Dockerfile', () => {
    assert.equal(nameFromPath('/ws/src/adservice/Dockerfile'), 'adservice');
    assert.equal(nameFromPath('/ws/src/cartservice/src/Dockerfile'), 'cartservice');
    assert.equal(nameFromPath('/ws/build/api.Dockerfile'), 'api');
    assert.equal(nameFromPath('/ws/svc/Dockerfile.dev'), 'svc');
  });
});
