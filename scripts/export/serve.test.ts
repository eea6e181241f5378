import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {cpSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {request} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {gunzipSync} from 'node:zlib';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

/**
 * The classroom launchers, each started on a folder laid out as the export lays it out: they
 * serve the site compressed, redirect folders to their trailing slash, answer 404 with the
 * site's 404 page, never serve a file outside site/, and name a bad option.
 */
const dir = mkdtempSync(join(tmpdir(), 'export-'));
cpSync(join(__dirname, 'serve.py'), join(dir, 'serve.py'));
cpSync(join(__dirname, 'serve.mjs'), join(dir, 'serve.mjs'));
mkdirSync(join(dir, 'site', 'threads'), {recursive: true});
const page = `<!doctype html><title>Course</title>${'<p>threads and processes</p>'.repeat(200)}`;
writeFileSync(join(dir, 'site', 'index.html'), page);
writeFileSync(join(dir, 'site', 'threads', 'index.html'), '<title>Threads</title>');
writeFileSync(join(dir, 'site', '404.html'), '<title>Page not found</title>');
writeFileSync(join(dir, 'secret.txt'), 'outside the site');

const launchers = [
  {name: 'serve.py', command: 'python3'},
  {name: 'serve.mjs', command: process.execPath},
];

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({host: '127.0.0.1', port, path, headers}, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = response.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        resolve({status: response.statusCode!, headers: response.headers, body: body.toString('utf8')});
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each(launchers)('$name', ({name, command}) => {
  let server: ChildProcess;
  let port = 0;
  let banner = '';

  beforeAll(async () => {
    server = spawn(command, [join(dir, name), '--port', '0'], {stdio: ['ignore', 'pipe', 'pipe']});
    banner = await new Promise<string>((resolve, reject) => {
      let output = '';
      server.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ctrl+C')) resolve(output);
      });
      server.on('exit', (code) => reject(new Error(`${name} exited with ${code}: ${output}`)));
    });
    port = Number(/http:\/\/127\.0\.0\.1:(\d+)\//.exec(banner)![1]);
  });

  afterAll(() => {
    server.kill();
  });

  it('prints the address to open, on this computer only by default', () => {
    expect(banner).toMatch(/^The course is at http:\/\/127\.0\.0\.1:\d+\/$/m);
    expect(banner).not.toContain('other computers');
  });

  it('serves pages gzip-compressed to a browser that accepts it, and plain otherwise', async () => {
    const compressed = await get(port, '/', {'Accept-Encoding': 'gzip, deflate'});
    expect(compressed.status).toBe(200);
    expect(compressed.headers['content-encoding']).toBe('gzip');
    expect(compressed.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(compressed.body).toBe(page);
    const plain = await get(port, '/');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(page);
  });

  it('redirects a folder to its trailing slash, keeping the query', async () => {
    const reply = await get(port, '/threads?x=1');
    expect(reply.status).toBe(301);
    expect(reply.headers.location).toBe('/threads/?x=1');
    expect((await get(port, '/threads/')).body).toContain('Threads');
  });

  it("answers an unknown path with 404 and the site's 404 page", async () => {
    const reply = await get(port, '/no-such-page/');
    expect(reply.status).toBe(404);
    expect(reply.body).toContain('Page not found');
  });

  it('never serves a file outside site/', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const reply = await get(port, path);
      expect(reply.body, path).not.toContain('outside the site');
    }
  });
});

describe.each(launchers)('$name with bad options', ({name, command}) => {
  it('names the bad option and exits with status 2', () => {
    for (const [args, message] of [
      [['--port', 'eighty'], /port/],
      [['--colour', 'blue'], /colour/],
    ] as const) {
      const result = spawnSync(command, [join(dir, name), ...args], {encoding: 'utf8', timeout: 10_000});
      expect(result.status, `${name} ${args.join(' ')}`).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });
});
