// Checks of the deployment files that need no Docker engine (there is none on CI): the Dockerfiles' basics — as a
// small stand-in for hadolint, which Debian does not package — and docker-compose.yml through `docker-compose config`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../../../..');
const DOCKERFILES = ['deploy/docker/coordinator.Dockerfile', 'deploy/docker/dashboard.Dockerfile'];

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
export function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) return;
    if (pending === '') start = index + 1;
    pending += `${line.replace(/\\$/, '').trim()} `;
    if (!line.endsWith('\\')) {
      const [keyword, ...rest] = pending.trim().split(/\s+/);
      out.push({ keyword: keyword.toUpperCase(), args: rest.join(' '), line: start });
      pending = '';
    }
  });
  return out;
}

describe.each(DOCKERFILES)('%s', (file) => {
  const text = readFileSync(join(root, file), 'utf8');
  const all = instructions(text);
  const froms = all.filter((instruction) => instruction.keyword === 'FROM');
  const finalStage = all.slice(all.lastIndexOf(froms[froms.length - 1]));

  it('is multi-stage, and the final stage copies from an earlier one', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(finalStage.some((instruction) => instruction.keyword === 'COPY' && instruction.args.includes('--from='))).toBe(true);
  });

  it('pins every base image to an exact version (no latest, no bare name)', () => {
    for (const from of froms) {
      const image = from.args.split(/\s+/).find((part) => !part.startsWith('--')) ?? '';
      expect(image, `line ${from.line}`).toMatch(/^[\w./-]+(:\d+\.\d+\.\d+[\w.-]*|@sha256:[0-9a-f]{64})$/);
    }
  });

  it('runs as a non-root user with a HEALTHCHECK', () => {
    const users = finalStage.filter((instruction) => instruction.keyword === 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1].args).not.toMatch(/^(root|0)(:|$)/);
    expect(finalStage.some((instruction) => instruction.keyword === 'HEALTHCHECK' && !/NONE/i.test(instruction.args))).toBe(true);
  });

  it('follows the usual lint rules (hadolint DL3020, DL3009, DL3015, DL3025)', () => {
    for (const instruction of all) {
      expect(instruction.keyword === 'ADD' && /https?:/.test(instruction.args), `ADD of a URL, line ${instruction.line}`).toBe(false);
      if (instruction.keyword === 'RUN' && instruction.args.includes('apt-get install')) {
        expect(instruction.args, `line ${instruction.line}`).toContain('--no-install-recommends');
        expect(instruction.args, `line ${instruction.line}`).toContain('rm -rf /var/lib/apt/lists/*');
      }
      if (instruction.keyword === 'CMD' || instruction.keyword === 'ENTRYPOINT') expect(instruction.args.startsWith('['), `exec form, line ${instruction.line}`).toBe(true);
    }
  });

  it('copies only files that exist in the build context', () => {
    for (const instruction of all.filter((candidate) => candidate.keyword === 'COPY' && !candidate.args.includes('--from='))) {
      const sources = instruction.args
        .split(/\s+/)
        .filter((part) => !part.startsWith('--'))
        .slice(0, -1);
      for (const source of sources) expect(existsSync(join(root, source)), `${source} (line ${instruction.line})`).toBe(true);
    }
  });
});

describe('docker-compose.yml', () => {
  function composeConfig(): Record<string, unknown> & { services: Record<string, Record<string, unknown>> } {
    const found = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
    if (found.error) throw new Error('docker-compose is missing: run scripts/ensure-test-deps.sh (Debian package docker-compose)');
    return parseYaml(execFileSync('docker-compose', ['config'], { cwd: root, encoding: 'utf8', env: { ...process.env, COORDINATOR_ADMIN_PASSWORD: 'x' } }));
  }

  it('is valid for docker-compose config, with three coordinators and the dashboard', () => {
    const config = composeConfig();
    expect(Object.keys(config.services).sort()).toEqual(['coordinator1', 'coordinator2', 'coordinator3', 'dashboard']);
  });

  it('gives each coordinator a data volume, its own zoo.cfg, its myid and a readiness health check', () => {
    const config = composeConfig();
    for (const id of [1, 2, 3]) {
      const service = config.services[`coordinator${id}`] as { volumes: string[]; environment: Record<string, string>; healthcheck: { test: string[] } };
      expect(service.volumes.some((volume) => volume.startsWith(`coordinator${id}-data:/data`))).toBe(true);
      const cfgMount = service.volumes.find((volume) => volume.includes(':/conf/zoo.cfg'));
      expect(cfgMount).toContain(`deploy/compose/coordinator${id}/zoo.cfg`);
      expect(String(service.environment.MYID)).toBe(String(id));
      expect(service.healthcheck.test.join(' ')).toContain('/api/v1/health/ready');
      const zooCfg = readFileSync(join(root, `deploy/compose/coordinator${id}/zoo.cfg`), 'utf8');
      for (const peer of [1, 2, 3]) expect(zooCfg).toContain(`server.${peer}=coordinator${peer}:2888:3888`);
      expect(zooCfg).toMatch(/^dataDir=\/data$/m);
      expect(zooCfg).toMatch(/^admin\.serverPort=8080$/m);
    }
  });
});

describe('the Kubernetes example', () => {
  it('has a StatefulSet of three with probes on the health endpoints and a headless Service that publishes not-ready pods', () => {
    const documents = parseAllDocuments(readFileSync(join(root, 'deploy/k8s/coordinator.yaml'), 'utf8')).map((document) => document.toJS() as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    const statefulSet = documents.find((document) => document.kind === 'StatefulSet');
    expect(statefulSet?.spec.replicas).toBe(3);
    const container = statefulSet?.spec.template.spec.containers[0];
    expect(container.readinessProbe.httpGet.path).toBe('/api/v1/health/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/api/v1/health');
    const headless = documents.find((document) => document.kind === 'Service' && document.spec.clusterIP === 'None');
    expect(headless?.metadata.name).toBe(statefulSet?.spec.serviceName);
    expect(headless?.spec.publishNotReadyAddresses).toBe(true);
  });
});
