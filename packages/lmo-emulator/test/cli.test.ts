import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { sign } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jsforce from 'jsforce';
import { afterEach, describe, expect, it } from 'vitest';
import type { LmoCliOptions } from '../src/cli.js';
import { CliUsageError, DEFAULT_LMO_PORT, describeRunningLmo, parseLmoArgs, readJwtCertificate } from '../src/cli.js';
import { lmoData } from '../src/dataset.js';
import { DEFAULT_DEMO_LICENSES, generateDemoData } from '../src/demo-data.js';
import { DataFileError } from '../src/load-data.js';
import { addDays, dateInZone } from '../src/soql/dates.js';

const QUERY_EXPORT = new URL('../../../test/fixtures/exports/query', import.meta.url).pathname;
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../examples/lmo-data.example.json', import.meta.url));
const CERTIFICATE = fileURLToPath(new URL('./support/jwt-test-cert.pem', import.meta.url));

function serveOptions(argv: string[], env: Record<string, string> = {}): LmoCliOptions {
  const command = parseLmoArgs(argv, env);
  if (command.kind !== 'serve') throw new Error('expected a serve command');
  return command.options;
}

describe('parseLmoArgs', () => {
  it('serves the demo on 127.0.0.1 with no faults by default', () => {
    expect(serveOptions([])).toEqual({
      host: '127.0.0.1',
      port: DEFAULT_LMO_PORT,
      dataFile: undefined,
      licenses: DEFAULT_DEMO_LICENSES,
      seed: 42,
      latencyMs: 0,
      unavailableRate: 0,
      hangRate: 0,
      lmaInstalled: true,
      historyTracked: true,
      timezone: 'UTC',
      visibility: { hiddenFields: [], hiddenObjects: [] },
      activity: 0,
    });
  });

  it('reads every flag', () => {
    const options = serveOptions([
      '--port',
      '0',
      '--host',
      '::1',
      '--licenses',
      '10000',
      '--seed',
      '7',
      '--latency',
      '250',
      '--unavailable-rate',
      '0.1',
      '--hang-rate=0.05',
      '--no-lma',
      '--no-history',
      '--timezone',
      'Europe/Paris',
      '--hidden-fields',
      'sfLma__Seats__c, Account.OwnerId',
      '--no-objects',
      'Lead',
      '--activity',
      '6',
      '--jwt-cert',
      'app.crt',
    ]);
    expect(options).toEqual({
      host: '::1',
      port: 0,
      dataFile: undefined,
      licenses: 10000,
      seed: 7,
      latencyMs: 250,
      unavailableRate: 0.1,
      hangRate: 0.05,
      lmaInstalled: false,
      historyTracked: false,
      timezone: 'Europe/Paris',
      visibility: { hiddenFields: ['sfLma__Seats__c', 'Account.OwnerId'], hiddenObjects: ['Lead'] },
      activity: 6,
      jwtCertFile: 'app.crt',
    });
  });

  it('reads the LMO_* environment variables, and flags win over them', () => {
    const env = {
      LMO_PORT: '7100',
      LMO_DATA: 'my-lmo.json',
      LMO_LATENCY_MS: '40',
      LMO_UNAVAILABLE_RATE: '0.2',
      LMO_HANG_RATE: '0.01',
      LMO_NO_LMA: 'true',
      LMO_TIMEZONE: 'America/New_York',
      LMO_JWT_CERT: 'server.crt',
    };
    expect(serveOptions([], env)).toMatchObject({
      port: 7100,
      dataFile: 'my-lmo.json',
      latencyMs: 40,
      unavailableRate: 0.2,
      hangRate: 0.01,
      lmaInstalled: false,
      historyTracked: true,
      timezone: 'America/New_York',
      jwtCertFile: 'server.crt',
    });
    expect(serveOptions(['--port', '7200', '--data', 'other.json'], env)).toMatchObject({
      port: 7200,
      dataFile: 'other.json',
    });
    expect(serveOptions([], { LMO_LICENSES: '2000', LMO_SEED: '9' })).toMatchObject({ licenses: 2000, seed: 9 });
    expect(serveOptions([], { LMO_HIDDEN_FIELDS: 'OwnerId', LMO_NO_OBJECTS: 'Lead,Contact' }).visibility).toEqual({
      hiddenFields: ['OwnerId'],
      hiddenObjects: ['Lead', 'Contact'],
    });
  });

  it('asks for help with --help or -h', () => {
    expect(parseLmoArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseLmoArgs(['-h', '--port', 'nonsense'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['extra'], /positional argument/],
    [['--port'], /--port/],
    [['--port', 'abc'], /^--port must be a port number \(0-65535\), got "abc"$/],
    [['--port', '70000'], /--port must be a port number/],
    [['--licenses=-5'], /--licenses must be a whole number of licenses/],
    [['--licenses', '1.5'], /--licenses must be a whole number/],
    [['--latency=-1'], /--latency must be a number of milliseconds/],
    [['--unavailable-rate', '1.5'], /--unavailable-rate must be a share between 0 and 1, got "1.5"/],
    [['--hang-rate', 'often'], /--hang-rate must be a share between 0 and 1/],
    [['--timezone', 'Mars/Olympus'], /"Mars\/Olympus" is not an IANA time zone/],
    [
      ['--data', 'x.json', '--licenses', '10'],
      /--licenses only shapes the demo dataset; it cannot be combined with a data file/,
    ],
  ])('rejects %j with a message that names the flag', (argv, message) => {
    expect(() => parseLmoArgs(argv)).toThrow(CliUsageError);
    expect(() => parseLmoArgs(argv)).toThrow(message);
  });

  it('names the environment variable when the bad value came from it', () => {
    expect(() => parseLmoArgs([], { LMO_PORT: 'http' })).toThrow(/^LMO_PORT must be a port number/);
    expect(() => parseLmoArgs([], { LMO_DATA: 'x.json', LMO_SEED: '3' })).toThrow(/^LMO_SEED only shapes the demo/);
  });
});

describe('lmoData', () => {
  it('generates the demo from the options and today', () => {
    const { data, source } = lmoData(serveOptions(['--licenses', '120', '--seed', '5']), '2026-11-29');
    expect(data).toEqual(generateDemoData({ today: '2026-11-29', licenses: 120, seed: 5 }));
    expect(source).toBe('demo data, 120 licenses, seed 5');
  });

  it('loads and validates a data file', () => {
    const { data, source } = lmoData(serveOptions(['--data', EXAMPLE]), '2026-11-29');
    expect(data.sfLma__Package__c).toHaveLength(2);
    expect(source).toBe(EXAMPLE);
    expect(() => lmoData(serveOptions(['--data', 'missing.json']), '2026-11-29')).toThrow(DataFileError);
  });
});

describe('readJwtCertificate', () => {
  it('reads a PEM certificate, and names a file that holds none', () => {
    expect(readJwtCertificate(CERTIFICATE)).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(() => readJwtCertificate(EXAMPLE)).toThrow(
      new CliUsageError(
        `--jwt-cert: ${EXAMPLE} is not a PEM certificate ("-----BEGIN CERTIFICATE-----") or public key`,
      ),
    );
    expect(() => readJwtCertificate('/nowhere/app.crt')).toThrow('--jwt-cert: cannot read /nowhere/app.crt (ENOENT)');
  });
});

describe('describeRunningLmo', () => {
  const lmo = {
    url: 'http://127.0.0.1:7070',
    accessToken: '00Dx!token',
    orgId: '00D000000000001EAA',
    apiVersion: '62.0',
    credentials: { clientId: 'cid', clientSecret: 'secret', username: 'u@x', password: 'pw', refreshToken: 'r' },
  };

  it('prints the URL, the token and a jsforce query of licenses renewing in the next 30 days', () => {
    const text = describeRunningLmo(lmo, serveOptions([]), 'demo data', '2026-11-29');
    expect(text).toContain('Instance URL:  http://127.0.0.1:7070');
    expect(text).toContain('Access token:  00Dx!token');
    expect(text).toContain(
      "new jsforce.Connection({ instanceUrl: 'http://127.0.0.1:7070', accessToken: '00Dx!token' })",
    );
    expect(text).toContain(
      "WHERE sfLma__Status__c = 'Active' AND sfLma__Expiration__c >= 2026-11-29 AND sfLma__Expiration__c <= 2026-12-29",
    );
    expect(text).not.toContain('Faults');
    expect(
      describeRunningLmo(lmo, serveOptions([]), 'demo data', '2026-11-29', '/tmp/k/jwt-private-key.pem'),
    ).toContain(
      'JWT bearer:    SF_LOGIN_URL=http://127.0.0.1:7070 SF_CLIENT_ID=cid SF_USERNAME=u@x SF_PRIVATE_KEY_FILE=/tmp/k/jwt-private-key.pem',
    );
    expect(describeRunningLmo(lmo, serveOptions(['--jwt-cert', 'app.crt']), 'demo data', '2026-11-29')).toContain(
      'SF_USERNAME=u@x (signed with the key of app.crt)',
    );
  });

  it('lists the faults and a missing LMA when set', () => {
    const options = serveOptions(['--latency', '200', '--unavailable-rate', '0.1', '--hang-rate', '0.02', '--no-lma']);
    const text = describeRunningLmo(lmo, options, 'demo data', '2026-11-29');
    expect(text).toContain('Faults:        200 ms latency, 10% answered 503, 2% left hanging');
    expect(text).toContain('without the License Management App');
  });
});

describe('npm run lmo, as a child process', () => {
  let child: ChildProcess | undefined;
  // SIGTERM, so the CLI removes the JWT key file it wrote.
  afterEach(async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  });

  /** Runs the CLI with tsx's loader in one process, so signals reach it directly. */
  function runCli(args: string[]): { process: ChildProcess; output: () => string; exited: Promise<number | null> } {
    let output = '';
    const proc = spawn(process.execPath, ['--conditions=@lma-bot/source', '--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, LMO_PORT: '', LMO_DATA: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    child = proc;
    return { process: proc, output: () => output, exited };
  }

  async function waitFor(output: () => string, pattern: RegExp, exited: Promise<unknown>): Promise<void> {
    let done = false;
    void exited.then(() => (done = true));
    while (!pattern.test(output())) {
      if (done) throw new Error(`the CLI exited before printing ${pattern}:\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('serves the demo LMO that real jsforce queries with the printed URL and token, then stops on SIGTERM', async () => {
    const cli = runCli(['--port', '0', '--licenses', '400', '--seed', '11']);
    await waitFor(cli.output, /Ctrl\+C stops it\./, cli.exited);
    const instanceUrl = /Instance URL:\s+(\S+)/.exec(cli.output())![1];
    const accessToken = /Access token:\s+(\S+)/.exec(cli.output())![1];
    expect(instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const today = dateInZone(Date.now(), 'UTC');
    const until = addDays(today, 30);
    const conn = new jsforce.Connection({ instanceUrl, accessToken, version: '62.0' });
    const result = await conn.query<{ Name: string; sfLma__Expiration__c: string }>(
      'SELECT Name, sfLma__Expiration__c FROM sfLma__License__c ' +
        `WHERE sfLma__Status__c = 'Active' AND sfLma__Expiration__c >= ${today} AND sfLma__Expiration__c <= ${until} ` +
        'ORDER BY sfLma__Expiration__c',
    );
    const expected = generateDemoData({ today, licenses: 400, seed: 11 }).sfLma__License__c.filter(
      (l) =>
        l.sfLma__Status__c === 'Active' &&
        (l.sfLma__Expiration__c as string | null) !== null &&
        (l.sfLma__Expiration__c as string) >= today &&
        (l.sfLma__Expiration__c as string) <= until,
    );
    expect(result.totalSize).toBe(expected.length);
    expect(result.totalSize).toBeGreaterThan(0);
    expect(result.records.map((r) => r.Name).sort()).toEqual(expected.map((l) => l.Name).sort());

    const trials = await conn.query(`SELECT COUNT() FROM sfLma__License__c WHERE sfLma__Status__c = 'Trial'`);
    expect(trials.totalSize).toBeGreaterThan(0);

    // The JWT bearer flow with the printed settings and the key file the CLI wrote.
    const jwt = Object.fromEntries([...cli.output().matchAll(/(SF_[A-Z_]+)=(\S+)/g)].map((m) => [m[1], m[2]]));
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const claims = {
      iss: jwt.SF_CLIENT_ID,
      sub: jwt.SF_USERNAME,
      aud: jwt.SF_LOGIN_URL,
      exp: Math.floor(Date.now() / 1000) + 180,
    };
    const unsigned = `${encode({ alg: 'RS256' })}.${encode(claims)}`;
    const signature = sign('RSA-SHA256', Buffer.from(unsigned), readFileSync(jwt.SF_PRIVATE_KEY_FILE, 'utf8'));
    const token = await new jsforce.OAuth2({ loginUrl: jwt.SF_LOGIN_URL }).requestToken({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: `${unsigned}.${signature.toString('base64url')}`,
    });
    expect(token.instance_url).toBe(instanceUrl);

    cli.process.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toContain('SIGTERM: stopping the embedded LMO.');
    expect(existsSync(jwt.SF_PRIVATE_KEY_FILE)).toBe(false);
  });

  it('serves an export folder as an integration user who cannot read some fields and objects', async () => {
    const cli = runCli([
      '--port',
      '0',
      '--data',
      QUERY_EXPORT,
      '--hidden-fields',
      'sfLma__Seats__c,Account.OwnerId',
      '--no-objects',
      'Lead',
    ]);
    await waitFor(cli.output, /Ctrl\+C stops it\./, cli.exited);
    expect(cli.output()).toContain('sfLma__License__c: 11 records; custom fields inferred:');
    expect(cli.output()).toContain('hiding sfLma__Seats__c, Account.OwnerId, without access to Lead');
    const instanceUrl = /Instance URL:\s+(\S+)/.exec(cli.output())![1];
    const accessToken = /Access token:\s+(\S+)/.exec(cli.output())![1];
    const conn = new jsforce.Connection({ instanceUrl, accessToken, version: '62.0' });

    const license = await conn.sobject('sfLma__License__c').describe();
    const names = license.fields.map((f) => f.name);
    expect(names).toContain('ARR__c');
    expect(names).not.toContain('sfLma__Seats__c');
    await expect(conn.query('SELECT Id, sfLma__Seats__c FROM sfLma__License__c')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
    await expect(conn.query('SELECT Id, sfLma__Account__r.Owner.Name FROM sfLma__License__c')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
    await expect(conn.query('SELECT Id, sfLma__Lead__r.Company FROM sfLma__License__c')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
    await expect(conn.query('SELECT Id FROM Lead')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
    const global = await conn.describeGlobal();
    expect(global.sobjects.map((o) => o.name)).not.toContain('Lead');
    const { records } = await conn.query<{ ARR__c: number }>(
      'SELECT ARR__c FROM sfLma__License__c WHERE ARR__c > 10000',
    );
    expect(records.map((r) => r.ARR__c).sort()).toEqual([12000, 30000]);
    cli.process.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('refuses to hide a field the org does not have', async () => {
    const cli = runCli(['--port', '0', '--hidden-fields', 'sfLma__Colour__c']);
    expect(await cli.exited).toBe(1);
    expect(cli.output()).toContain('cannot hide field "sfLma__Colour__c": no object of the org has that field');
  });

  it('exits 2 with a clear message on a bad flag', async () => {
    const cli = runCli(['--port', 'seven']);
    expect(await cli.exited).toBe(2);
    expect(cli.output()).toContain('npm run lmo: --port must be a port number (0-65535), got "seven"');
  });

  it('exits 1 naming the file and the record when the data file breaks the schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmo-cli-'));
    try {
      const file = join(dir, 'broken.json');
      const data = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { sfLma__License__c: Record<string, unknown>[] };
      const license = data.sfLma__License__c[1];
      license.sfLma__Status__c = 'Expired';
      writeFileSync(file, JSON.stringify(data));
      const cli = runCli(['--port', '0', '--data', file]);
      expect(await cli.exited).toBe(1);
      expect(cli.output()).toContain(`LMO data file ${file} cannot be loaded (1 problem)`);
      expect(cli.output()).toContain(
        `sfLma__License__c[1] (Id ${license.Id}), field sfLma__Status__c: "Expired" is not one of`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
