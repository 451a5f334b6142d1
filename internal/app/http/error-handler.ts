import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, OverloadedError, ReadOnlyError, ValidationError, type ErrorKind, type FieldProblem } from '../../domain/shared/errors.js';
import { DailyPostLimitReachedError } from '../../domain/posts/errors.js';
import { problem, sendProblem, type ProblemDocument } from './problem.js';
import { TEXT_PATTERN } from './schemas/common.js';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

function fieldProblems(issues: AjvIssue[], context: string | undefined): FieldProblem[] {
  return issues.map((issue) => {
    const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
    if (issue.keyword === 'required') {
      return { field: [path, String(issue.params.missingProperty)].filter(Boolean).join('.'), message: 'is required' };
    }
    if (issue.keyword === 'additionalProperties') {
      return { field: [path, String(issue.params.additionalProperty)].filter(Boolean).join('.'), message: 'is not allowed' };
    }
    if (issue.keyword === 'pattern' && issue.params.pattern === TEXT_PATTERN) {
      return { field: path || (context ?? 'body'), message: 'must not contain control characters (other than tab and newline)' };
    }
    return { field: path || (context ?? 'body'), message: issue.message ?? 'is invalid' };
  });
}

function fromFastify(err: FastifyError): ProblemDocument | null {
  if (err.validation) {
    const errors = fieldProblems(err.validation as AjvIssue[], err.validationContext);
    return problem(400, 'VALIDATION_FAILED', `Invalid ${err.validationContext ?? 'request'}: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, errors);
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'MALFORMED_JSON', 'The request body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'BODY_TOO_LARGE', 'The request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem(400, 'BAD_CONTENT_LENGTH', 'Content-Length does not match the body');
  }
  if (err.statusCode === 429) return problem(429, 'RATE_LIMITED', 'Too many requests; slow down');
  if (err.statusCode === 503 && err.code === 'FST_UNDER_PRESSURE') return problem(503, 'UNDER_PRESSURE', 'The server is overloaded; retry shortly');
  if (err instanceof SyntaxError || (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)) {
    // Fastify's own messages can quote the input; the status and a fixed sentence say enough.
    return problem(err.statusCode ?? 400, 'BAD_REQUEST', 'The request could not be processed as sent');
  }
  return null;
}

/** The one place errors become HTTP answers: problem+json with a stable code; 5xx hide internals. */
export function registerErrorHandler(app: FastifyInstance, methodsOf: (path: string) => string[]): void {
  const noRoute = (request: FastifyRequest, reply: FastifyReply) => {
    const allowed = methodsOf(request.url.split('?')[0]!);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(request, reply, problem(405, 'METHOD_NOT_ALLOWED', `This path answers ${allowed.join(', ')} only`));
    }
    return sendProblem(request, reply, problem(404, 'ROUTE_NOT_FOUND', 'No route matches this method and path'));
  };

  app.setErrorHandler((err: FastifyError, request, reply) => {
    // No route matched, but Fastify judged the body first (QUERY without a Content-Type, say):
    // the answer is still about the route.
    if (request.is404) return noRoute(request, reply);
    if (err instanceof DomainError) {
      const status = STATUS[err.kind];
      if (err instanceof DailyPostLimitReachedError || err instanceof OverloadedError || err instanceof ReadOnlyError) reply.header('retry-after', String(err.retryAfterSeconds));
      // Shedding load is expected under a flood: one error line per refused request would be a
      // second flood, in the logs.
      if (err instanceof OverloadedError || err instanceof ReadOnlyError) request.log.debug({ code: err.code }, err.message);
      else if (status >= 500) request.log.error({ err: err.cause ?? err }, err.message);
      const errors = err instanceof ValidationError ? err.problems : undefined;
      return sendProblem(request, reply, problem(status, err.code, err.message, errors));
    }
    const known = fromFastify(err);
    if (known) return sendProblem(request, reply, known);
    request.log.error({ err }, 'unhandled error');
    return sendProblem(request, reply, problem(500, 'INTERNAL', 'Something went wrong on our side; the request id identifies it in our logs'));
  });

  app.setNotFoundHandler(noRoute);
}
