import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldProblem } from '../../domain/shared/errors.js';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: FieldProblem[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  408: 'Request Timeout',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(status: number, code: string, detail: string, errors?: FieldProblem[]): ProblemDocument {
  return {
    type: `/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors ? { errors } : {}),
  };
}

/** `instance` names the resource only on a routed request: an unmatched path is never echoed. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, doc: ProblemDocument): FastifyReply {
  const routed = request.routeOptions.url !== undefined;
  return reply
    .code(doc.status)
    .type('application/problem+json; charset=utf-8')
    .send(routed ? { ...doc, instance: request.url.split('?')[0] } : doc);
}
