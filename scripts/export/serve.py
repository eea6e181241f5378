#!/usr/bin/env python3
"""Serves the course in ./site on this computer: python3 serve.py [--port 8000] [--host 127.0.0.1]

Python's standard library only (3.8 or newer). Text files are sent gzip-compressed when the
browser accepts it. It listens on 127.0.0.1 unless --host says otherwise (see README.md before
using --host 0.0.0.0).
"""
import argparse
import gzip
import http.server
import os
import posixpath
import socket
import sys
import urllib.parse

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "site")

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".webmanifest": "application/manifest+json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".wasm": "application/wasm",
}
COMPRESSIBLE = {".html", ".js", ".mjs", ".css", ".json", ".webmanifest", ".svg", ".txt", ".xml"}


def file_for(url_path):
    """The file a URL path names inside the site folder, or None: never a file outside it."""
    path = urllib.parse.unquote(url_path.split("?", 1)[0])
    candidate = os.path.normpath(os.path.join(ROOT, *[part for part in posixpath.normpath(path).split("/") if part not in ("", ".", "..")]))
    if candidate != ROOT and not candidate.startswith(ROOT + os.sep):
        return None
    for file in (candidate, os.path.join(candidate, "index.html")):
        if os.path.isfile(file):
            return file
    return None


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "CourseServer"

    def do_GET(self):
        self.respond(send_body=True)

    def do_HEAD(self):
        self.respond(send_body=False)

    def respond(self, send_body):
        path = self.path
        pathname = path.split("?", 1)[0]
        file = file_for(path)
        # A folder without its trailing slash: redirect, so the page's relative links resolve.
        if file and file.endswith(os.sep + "index.html") and not pathname.endswith("/") and not pathname.endswith(".html"):
            query = path[len(pathname):]
            self.send_response(301)
            self.send_header("Location", pathname + "/" + query)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = 200
        if file is None:
            status = 404
            file = os.path.join(ROOT, "404.html")
            if not os.path.isfile(file):
                self.send_error(404)
                return
        extension = os.path.splitext(file)[1]
        with open(file, "rb") as handle:
            body = handle.read()
        compress = extension in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")
        if compress:
            body = gzip.compress(body, compresslevel=6)
        self.send_response(status)
        self.send_header("Content-Type", TYPES.get(extension, "application/octet-stream"))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")
        if compress:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format, *args):
        pass  # one line per request would bury the address the teacher needs to read


def main():
    parser = argparse.ArgumentParser(description="Serve the course on this computer.")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1, this computer only; 0.0.0.0 for the whole network)")
    args = parser.parse_args()
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be a whole number from 0 to 65535, got {args.port}")
    class Server(http.server.ThreadingHTTPServer):
        address_family = socket.AF_INET6 if ":" in args.host else socket.AF_INET

    try:
        server = Server((args.host, args.port), Handler)
    except OSError as error:
        sys.exit(f"serve.py: cannot listen on {args.host}:{args.port}: {error.strerror or error}")
    port = server.server_address[1]
    shown = "127.0.0.1" if args.host == "0.0.0.0" else (f"[{args.host}]" if ":" in args.host else args.host)
    print(f"The course is at http://{shown}:{port}/", flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"Listening on {args.host}: other computers that can reach this one can open it too (see README.md).", flush=True)
    print("Press Ctrl+C to stop.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
