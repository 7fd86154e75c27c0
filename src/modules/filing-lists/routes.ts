import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../plugins/auth.js';
import { sendDownload } from '../common/download.js';
import { IdParams, problems } from '../common/schemas.js';
import type { createFilingArchives } from './archive.js';
import { FilingListBody, FilingListCreatedSchema, FilingListSchema, FilingListSummarySchema } from './schemas.js';
import type { FilingListService } from './service.js';

const READERS = ['creditor', 'court'] as const;

export const filingListRoutes: FastifyPluginAsyncTypebox<{
  lists: FilingListService;
  archives: ReturnType<typeof createFilingArchives>;
}> = async (app, { lists, archives }) => {
  app.post('/api/filing-lists', {
    config: { access: ['creditor'] },
    schema: {
      tags: ['court'],
      summary: 'Put filed suits on a filing list for their court',
      description:
        'The suits (claims at litigation/filed) of one court, in the order given: the first suit fixes the court. A claim that is not a filed suit (not_filed), is already on a list (already_listed), belongs to another court (other_court) or is not yours (not_found) is left off and named in refused; 422 nothing_to_file when none can go on.',
      body: FilingListBody,
      response: { 201: FilingListCreatedSchema, ...problems(400, 401, 403, 422) },
    },
    handler: async (request, reply) => reply.status(201).send(lists.create(principalOf(request), request.body)),
  });

  app.get('/api/filing-lists', {
    config: { access: READERS },
    schema: {
      tags: ['court'],
      summary: 'Filing lists: a creditor’s own, or those handed to the clerk’s court, newest first',
      response: { 200: Type.Array(FilingListSummarySchema), ...problems(401, 403) },
    },
    handler: async (request) => lists.list(principalOf(request)),
  });

  app.get('/api/filing-lists/:id', {
    config: { access: READERS },
    schema: {
      tags: ['court'],
      summary: 'A filing list and its suits',
      params: IdParams,
      response: { 200: FilingListSchema, ...problems(400, 401, 403, 404) },
    },
    handler: async (request) => lists.get(principalOf(request), request.params.id),
  });

  app.get('/api/filing-lists/:id/archive', {
    config: { access: READERS },
    schema: {
      tags: ['court'],
      summary: 'The filing list as one ZIP for the court’s e-filing',
      description:
        '立案清单.csv, then a folder per suit with its 起诉状 (generated if it was not yet), its 证据目录 and the documents the index names. 422 complaint_failed names a suit whose complaint cannot be generated; nothing is sent then.',
      params: IdParams,
      produces: ['application/zip'],
      response: problems(400, 401, 403, 404, 422),
    },
    handler: async (request, reply) => {
      const { fileName, stream } = await archives.archive(principalOf(request), request.params.id);
      return sendDownload(reply, { fileName, mime: 'application/zip', bytes: stream });
    },
  });
};
