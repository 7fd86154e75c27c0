/**
 * Reading a debtor's multipart form with evidence files. Every file is checked (name, count, size,
 * type by its bytes) while the form is read, before anything is stored, so a refused form leaves nothing.
 */
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { checkAttachment } from '../../domain/attachment-type.js';
import { AppError } from '../../errors.js';
import { assertWellFormed } from '../../plugins/well-formed-text.js';
import type { EvidenceFile } from './attachments.js';

export interface UploadLimits {
  maxBytes: number;
  maxFiles: number;
}

export interface EvidenceForm {
  /** Text fields by name; a field sent more than once keeps every value. */
  fields: Record<string, string[]>;
  files: EvidenceFile[];
}

const FILE_FIELDS = ['files', 'files[]'];
const MAX_FIELD_BYTES = 16 * 1024;

const tooMany = (max: number) =>
  new AppError(
    'payload_too_large',
    `At most ${max} files may be attached; leave some out or combine scans into one PDF.`,
    {
      reason: 'too_many_files',
      fields: [{ field: '/body/files', message: `must hold at most ${max} files` }],
    },
  );
const tooLarge = (max: number) =>
  new AppError(
    'payload_too_large',
    `Each file may be at most ${(max / 1024 / 1024).toFixed(1)} MB; send a smaller scan or photo.`,
    {
      reason: 'file_too_large',
      fields: [{ field: '/body/files', message: `a file is larger than ${max} bytes` }],
    },
  );

/** Read the form: text fields named in `fieldNames` and files in `files` (or `files[]`). */
export async function receiveEvidenceForm(
  request: FastifyRequest,
  fieldNames: readonly string[],
  limits: UploadLimits,
): Promise<EvidenceForm> {
  if (!request.isMultipart()) {
    throw new AppError(
      'unsupported_media_type',
      'Send the form as multipart/form-data, with files (PDF, JPEG or PNG) in the field "files".',
    );
  }
  const fields: Record<string, string[]> = {};
  const files: EvidenceFile[] = [];
  try {
    const parts = request.parts({
      // Keep folders in names so that `../` is seen and refused, not silently cut off.
      preservePath: true,
      limits: {
        fileSize: limits.maxBytes,
        files: limits.maxFiles,
        fields: 20,
        fieldSize: MAX_FIELD_BYTES,
        parts: limits.maxFiles + 20,
      },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (!FILE_FIELDS.includes(part.fieldname)) {
          part.file.resume();
          throw new AppError('validation_failed', 'Attach files in the field named "files".', {
            fields: [{ field: `/body/${part.fieldname}`, message: 'is not a file field' }],
          });
        }
        const bytes = await part.toBuffer();
        // A file input left empty arrives as a nameless, empty part.
        if (part.filename === '' && bytes.length === 0) continue;
        const check = checkAttachment(part.filename, bytes);
        if (!check.ok) {
          const field = [{ field: '/body/files', message: check.detail }];
          if (check.reason === 'bad_file_name')
            throw new AppError('validation_failed', check.detail, { reason: check.reason, fields: field });
          throw new AppError('unsupported_media_type', check.detail, { reason: check.reason, fields: field });
        }
        files.push({
          fileName: part.filename,
          mime: check.mime,
          bytes,
          sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
        });
      } else {
        if (!fieldNames.includes(part.fieldname)) {
          throw new AppError(
            'validation_failed',
            `"${part.fieldname}" is not a field of this form; send ${fieldNames.join(', ')} and files.`,
            {
              fields: [{ field: `/body/${part.fieldname}`, message: 'is not a known field' }],
            },
          );
        }
        if (part.valueTruncated) {
          throw new AppError('validation_failed', `The field "${part.fieldname}" is too long.`, {
            fields: [{ field: `/body/${part.fieldname}`, message: 'is too long' }],
          });
        }
        assertWellFormed(part.value, `/body/${part.fieldname}`);
        fields[part.fieldname] ??= [];
        fields[part.fieldname]!.push(String(part.value));
      }
    }
  } catch (err) {
    switch ((err as { code?: string }).code) {
      case 'FST_FILES_LIMIT':
        throw tooMany(limits.maxFiles);
      case 'FST_REQ_FILE_TOO_LARGE':
        throw tooLarge(limits.maxBytes);
      case 'FST_PARTS_LIMIT':
      case 'FST_FIELDS_LIMIT':
        throw new AppError('validation_failed', 'The form has too many fields.');
    }
    throw err;
  }
  return { fields, files };
}

/**
 * The form's text fields as `schema` describes them, or 400 naming each bad field. Fields named in
 * `idLists` are lists of ids, sent repeated or comma-separated.
 */
export function parseFormFields<T extends TSchema>(
  schema: T,
  fields: Record<string, string[]>,
  idLists: readonly string[] = [],
): Static<T> {
  const value: Record<string, unknown> = {};
  for (const [name, values] of Object.entries(fields)) {
    value[name] = idLists.includes(name)
      ? values
          .flatMap((v) => v.split(','))
          .map((v) => v.trim())
          .filter(Boolean)
          .map((v) => (/^\d{1,15}$/.test(v) ? Number(v) : v))
      : values.length === 1
        ? values[0]
        : values;
  }
  if (!Value.Check(schema, value)) {
    const errors = [...Value.Errors(schema, value)].map((e) => ({
      field: `/body${e.instancePath}`,
      message: e.message,
    }));
    throw new AppError(
      'validation_failed',
      `Fix the listed fields and send the form again: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}.`,
      { fields: errors },
    );
  }
  return value as Static<T>;
}
