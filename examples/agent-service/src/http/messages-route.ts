import { context, VigilError } from '@vigil/sdk';
import type { TurnPool } from '@vigil/sdk/health';
import type { FastifyInstance } from 'fastify';
import type { Agent } from '../agent/agent.js';
import { ApiError } from '../errors.js';
import { parseMessageBody, parseSessionId, parseUserIdHeader } from './validation.js';

/** Largest body the route reads: room for 32 KiB of text even when JSON escapes every character. */
export const MAX_BODY_BYTES = 256 * 1024;

/** `POST /v1/sessions/:sessionId/messages`: runs one agent turn. */
export async function messagesRoute(app: FastifyInstance, options: { agent: Agent; pool: TurnPool }): Promise<void> {
  // The body is JSON whatever the Content-Type says: `curl -d '{"text":"hi"}'` sends it as a
  // form, and a demo should not fail on that. This plugin is encapsulated, so other routes keep
  // Fastify's own parsers.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJsonText(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  app.post<{ Params: { sessionId: string } }>(
    '/v1/sessions/:sessionId/messages',
    { bodyLimit: MAX_BODY_BYTES },
    async (req) => {
      const sessionId = parseSessionId(req.params.sessionId);
      const headerUser = parseUserIdHeader(req.headers['x-user-id']);
      const input = parseMessageBody(req.body);
      if (headerUser !== undefined && input.userId !== undefined && headerUser !== input.userId) {
        throw new ApiError(
          'BAD_FIELD',
          'field "userId" differs from the X-User-ID header; send one or make them equal',
          'userId',
        );
      }
      const userId = input.userId ?? headerUser;
      if (userId !== undefined) context.set('user_id', userId);
      const turn = { ...input, ...(userId === undefined ? {} : { userId }) };
      try {
        return await options.pool.run(() => options.agent.runTurn(sessionId, turn));
      } catch (error) {
        if (error instanceof VigilError && error.code === 'VIGIL_TURN_POOL_FULL') {
          throw new ApiError('OVERLOADED', `${error.message}; retry later`);
        }
        throw error;
      }
    },
  );
}

/** Parses a body as JSON; an empty body stays undefined so validation can say what is missing. */
function parseJsonText(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError('BAD_JSON', `request body is not valid JSON: ${(error as Error).message}`, 'body');
  }
}
