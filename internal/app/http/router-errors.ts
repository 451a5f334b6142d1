import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions, RouteOptions } from 'fastify';
import Router from 'find-my-way';
import { problem, sendProblem, type ProblemDocument } from './problem.js';

/**
 * Headers every answer carries, including the ones Fastify writes before any hook runs (a bad
 * URL, an overlong parameter, a request line or header block too large for Node's parser).
 * A test compares them with what helmet puts on a routed answer.
 */
export const ERROR_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

function sendRaw(request: FastifyRequest, reply: FastifyReply, doc: ProblemDocument): FastifyReply {
  reply.headers({ ...ERROR_SECURITY_HEADERS, 'x-request-id': request.id });
  return sendProblem(request, reply, doc);
}

/**
 * Fastify answers a bad percent-encoding and an overlong path parameter itself, in plain JSON
 * that echoes the path; these are problem documents that never repeat the input.
 */
export const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (error, request, reply) => {
  const code = (error as FastifyError).code;
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendRaw(request, reply, problem(414, 'URI_TOO_LONG', 'A path segment is longer than this API accepts'));
  }
  if (code === 'FST_ERR_BAD_URL') {
    return sendRaw(request, reply, problem(400, 'BAD_URL', 'The URL is not valid percent-encoding'));
  }
  request.log.error({ err: error }, 'framework error');
  return sendRaw(request, reply, problem(500, 'INTERNAL', 'Something went wrong on our side; the request id identifies it in our logs'));
};

/** What Node's HTTP parser refuses before Fastify sees a request: answered on the raw socket. */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'The request line or headers are larger than this server accepts']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'The request took too long to arrive']
        : [400, 'BAD_REQUEST', 'The request is not valid HTTP'];
  const body = JSON.stringify({ ...problem(status, code, detail), title: STATUS_CODES[status] });
  const headers = {
    ...ERROR_SECURITY_HEADERS,
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'x-request-id': randomUUID(),
    connection: 'close',
  };
  if (socket.writable) {
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${lines.join('\r\n')}\r\n\r\n${body}`);
  }
  socket.destroy(err);
}

/**
 * A second router that only knows which methods each path has, so an unknown method on a
 * known path is 405 with `Allow` (Fastify itself answers 404 there).
 */
export function methodsByPath(app: FastifyInstance): (path: string) => string[] {
  const router = Router();
  const methods = new Set<string>();
  app.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat().map((m) => m.toUpperCase() as Router.HTTPMethod)) {
      methods.add(method);
      if (!router.hasRoute(method, route.url)) router.on(method, route.url, () => undefined);
    }
  });
  return (path) => [...methods].filter((method) => router.find(method as Router.HTTPMethod, path) !== null).sort();
}
