/**
 * Receiving a batch: a multipart upload streamed to a spool file (sealed as it is written, see
 * common/spool.ts) while it is hashed, or the JSON form written as a spool file of rows, so both take
 * the same import path.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { Value } from 'typebox/value';
import { CLAIM_COLUMNS } from '../../domain/batch-columns.js';
import { AppError, type FieldError } from '../../errors.js';
import { assertWellFormed } from '../../plugins/well-formed-text.js';
import { newSpoolPath, type Spool, SpoolWriter, writeSpoolFileSync } from '../common/spool.js';
import { type BatchOptions, CHARSETS, type JsonBatch, PartialPolicySchema } from './schemas.js';
import type { Upload } from './submit-batch.js';

const FIELDS = ['strict', 'dryRun', 'charset', 'sheet', 'mediationOrg', 'reference', 'policy'] as const;

/** Stream the multipart request's `file` to a spool file; answer the upload and the text fields. */
export async function receiveMultipart(
  request: FastifyRequest,
  spool: Spool,
  maxBytes: number,
): Promise<{ upload: Upload; options: BatchOptions }> {
  const fields: Record<string, string> = {};
  let upload: Upload | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || upload) {
          part.file.resume();
          throw new AppError('validation_failed', 'Send exactly one file, in the field named "file".', {
            fields: [{ field: `/body/${part.fieldname}`, message: 'is not the file field' }],
          });
        }
        const file = newSpoolPath(spool.dir);
        const hash = crypto.createHash('sha256');
        let head = Buffer.alloc(0);
        upload = { file, fileName: cleanFileName(part.filename), sha256: '', format: 'csv' };
        await pipeline(
          part.file,
          new Transform({
            transform: (chunk: Buffer, _enc, cb) => {
              hash.update(chunk);
              if (head.length < 4) head = Buffer.concat([head, chunk.subarray(0, 4)]);
              cb(null, chunk);
            },
          }),
          new SpoolWriter(file, spool.dataKey),
        );
        if (part.file.truncated)
          throw new AppError(
            'payload_too_large',
            `The file is larger than the limit of ${maxBytes} bytes; split the batch.`,
          );
        upload.sha256 = hash.digest('hex');
        upload.format = detectFormat(head, upload.fileName);
      } else {
        assertWellFormed(part.value, `/body/${part.fieldname}`);
        fields[part.fieldname] = String(part.value);
      }
    }
    if (!upload)
      throw new AppError('validation_failed', 'Attach the batch file in the field named "file".', {
        fields: [{ field: '/body/file', message: 'is required' }],
      });
    return { upload, options: parseFields(fields) };
  } catch (err) {
    if (upload) fs.rmSync(upload.file, { force: true });
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError(
        'payload_too_large',
        `The file is larger than the limit of ${maxBytes} bytes; split the batch.`,
      );
    throw err;
  }
}

/** Write the JSON form as rows (a header line, then one JSON array per claim) and hash them. */
export function receiveJson(body: JsonBatch, spool: Spool): { upload: Upload; options: BatchOptions } {
  const file = newSpoolPath(spool.dir);
  const keys = CLAIM_COLUMNS.map((c) => c.key);
  const lines = [
    JSON.stringify(keys),
    ...body.claims.map((c) => JSON.stringify(keys.map((k) => (c as Record<string, unknown>)[k] ?? null))),
  ];
  const text = `${lines.join('\n')}\n`;
  writeSpoolFileSync(file, spool.dataKey, Buffer.from(text, 'utf8'));
  return {
    upload: { file, fileName: null, sha256: crypto.createHash('sha256').update(text).digest('hex'), format: 'ndjson' },
    options: {
      strict: body.strict ?? false,
      dryRun: body.dryRun ?? false,
      charset: null,
      sheet: null,
      mediationOrg: body.mediationOrg === undefined ? null : String(body.mediationOrg),
      reference: body.reference,
      policy: body.policy ?? {},
    },
  };
}

/** The format of a batch file, by its first bytes and then its name. */
export function detectFormat(head: Buffer, fileName: string | null): Upload['format'] {
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx';
  const ext = path.extname(fileName ?? '').toLowerCase();
  if (ext === '.xls')
    throw new AppError(
      'unprocessable',
      'Old Excel (.xls) files are not supported: save the sheet as .xlsx or CSV and upload it again.',
      { reason: 'xls_unsupported' },
    );
  // An .xlsx that is not a zip is refused by the workbook check with a clear error.
  return ext === '.xlsx' ? 'xlsx' : 'csv';
}

/** A file name fit to show back: no folders, no control characters. */
function cleanFileName(name: string | undefined): string | null {
  if (!name) return null;
  const base = name.replace(/\\/g, '/').split('/').pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips control characters from the uploaded file's name
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200);
  return clean || null;
}

function parseFields(fields: Record<string, string>): BatchOptions {
  const errors: FieldError[] = [];
  for (const name of Object.keys(fields)) {
    if (!(FIELDS as readonly string[]).includes(name))
      errors.push({ field: `/body/${name}`, message: 'is not a known field' });
  }
  const bool = (name: string): boolean => {
    const v = fields[name];
    if (v === undefined || v === '' || v === 'false' || v === '0') return false;
    if (v === 'true' || v === '1') return true;
    errors.push({ field: `/body/${name}`, message: 'must be true or false' });
    return false;
  };
  const text = (name: string, max: number): string | null => {
    const v = fields[name]?.trim();
    if (!v) return null;
    if (v.length > max) errors.push({ field: `/body/${name}`, message: `must be at most ${max} characters` });
    return v;
  };
  const charset = text('charset', 16)?.toLowerCase() ?? null;
  if (charset !== null && !(CHARSETS as readonly string[]).includes(charset))
    errors.push({ field: '/body/charset', message: `must be one of ${CHARSETS.join(', ')}` });
  let policy: BatchOptions['policy'] = {};
  const rawPolicy = text('policy', 2000);
  if (rawPolicy !== null) {
    try {
      const parsed: unknown = JSON.parse(rawPolicy);
      if (Value.Check(PartialPolicySchema, parsed)) policy = parsed;
      else
        for (const e of Value.Errors(PartialPolicySchema, parsed))
          errors.push({ field: `/body/policy${e.instancePath}`, message: e.message });
    } catch {
      errors.push({ field: '/body/policy', message: 'must be a JSON object' });
    }
  }
  const options: BatchOptions = {
    strict: bool('strict'),
    dryRun: bool('dryRun'),
    charset: charset as BatchOptions['charset'],
    sheet: text('sheet', 64),
    mediationOrg: text('mediationOrg', 32),
    reference: text('reference', 64),
    policy,
  };
  if (errors.length)
    throw new AppError(
      'validation_failed',
      `Fix the listed fields: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}.`,
      { fields: errors },
    );
  return options;
}
