#!/usr/bin/env node
// Serves the course in ./site on this computer: `node serve.mjs [--port 8000] [--host 127.0.0.1]`.
// Node's standard library only. Text files are sent gzip-compressed when the browser accepts it.
// It listens on 127.0.0.1 unless --host says otherwise (see README.md before using --host 0.0.0.0).
import {createReadStream, statSync} from 'node:fs';
import {createServer} from 'node:http';
import {dirname, extname, join, normalize, sep} from 'node:path';
import {fileURLToPath} from 'node:url';
import {createGzip} from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), 'site');

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};
const compressible = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.svg', '.txt', '.xml']);

function options(argv) {
  const parsed = {port: 8000, host: '127.0.0.1'};
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index];
    const value = argv[index + 1];
    if (flag === '--help' || flag === '-h') {
      console.log('usage: node serve.mjs [--port PORT] [--host ADDRESS]\n  --port  port to listen on (default 8000)\n  --host  address to listen on (default 127.0.0.1, this computer only; 0.0.0.0 for the whole network)');
      process.exit(0);
    }
    if (flag !== '--port' && flag !== '--host') fail(`unknown option ${flag} (use --port PORT and --host ADDRESS)`);
    if (value === undefined) fail(`${flag} needs a value`);
    if (flag === '--port') {
      const port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a whole number from 0 to 65535, got ${value}`);
      parsed.port = port;
    } else parsed.host = value;
    index += 1;
  }
  return parsed;
}

function fail(message) {
  console.error(`serve.mjs: ${message}`);
  process.exit(2);
}

/** The file a URL path names inside the site folder, or null: never a file outside it. */
function fileFor(urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  const candidate = normalize(join(root, path));
  if (candidate !== root && !candidate.startsWith(root + sep)) return null;
  for (const file of [candidate, join(candidate, 'index.html')]) {
    try {
      if (statSync(file).isFile()) return file;
    } catch {
      // not there: try the next candidate
    }
  }
  return null;
}

function send(request, response, file, status) {
  const extension = extname(file);
  const headers = {'Content-Type': types[extension] ?? 'application/octet-stream', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache'};
  const gzip = compressible.has(extension) && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
  if (gzip) Object.assign(headers, {'Content-Encoding': 'gzip', Vary: 'Accept-Encoding'});
  else headers['Content-Length'] = statSync(file).size;
  response.writeHead(status, headers);
  if (request.method === 'HEAD') return response.end();
  const stream = createReadStream(file);
  (gzip ? stream.pipe(createGzip()) : stream).pipe(response);
}

const {port, host} = options(process.argv.slice(2));
const server = createServer((request, response) => {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, {Allow: 'GET, HEAD'}).end();
    return;
  }
  const path = request.url ?? '/';
  // A folder without its trailing slash: redirect, so the page's relative links resolve.
  const file = fileFor(path);
  if (file && file.endsWith(`${sep}index.html`) && !path.split('?')[0].endsWith('/') && !path.split('?')[0].endsWith('.html')) {
    const [pathname, query] = path.split('?');
    response.writeHead(301, {Location: `${pathname}/${query === undefined ? '' : `?${query}`}`}).end();
    return;
  }
  if (file) return send(request, response, file, 200);
  const notFound = join(root, '404.html');
  try {
    statSync(notFound);
    send(request, response, notFound, 404);
  } catch {
    response.writeHead(404, {'Content-Type': 'text/plain; charset=utf-8'}).end('Not found\n');
  }
});
server.on('error', (error) => fail(`cannot listen on ${host}:${port}: ${error.message}`));
server.listen(port, host, () => {
  const address = server.address();
  const shown = host.includes(':') ? `[${host}]` : host;
  console.log(`The course is at http://${shown === '0.0.0.0' ? '127.0.0.1' : shown}:${address.port}/`);
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    console.log(`Listening on ${host}: other computers that can reach this one can open it too (see README.md).`);
  }
  console.log('Press Ctrl+C to stop.');
});
