import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../plugins/auth.js';
import { problems } from '../common/schemas.js';
import { MessagesQuery, StaffMessageSchema } from './schemas.js';
import type { MessageService } from './service.js';

export const messageRoutes: FastifyPluginAsyncTypebox<{ messages: MessageService }> = async (app, { messages }) => {
  app.get('/api/messages', {
    config: { access: ['admin', 'creditor', 'mediator', 'court'] },
    schema: {
      tags: ['messages'],
      summary: "Your organisation's inbox: reply deadlines coming up, and missed ones of organisations it supervises",
      querystring: MessagesQuery,
      response: { 200: Type.Object({ items: Type.Array(StaffMessageSchema) }), ...problems(400, 401, 403) },
    },
    handler: async (request) => ({ items: messages.list(principalOf(request), request.query.limit) }),
  });
};
