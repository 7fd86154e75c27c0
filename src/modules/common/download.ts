import type { Readable } from 'node:stream';
/** Sending a stored file as a download. */
import type { FastifyReply } from 'fastify';

/** Send the bytes as an attachment the browser will neither render in place nor sniff. */
export function sendDownload(reply: FastifyReply, file: { fileName: string; mime: string; bytes: Buffer | Readable }) {
  const ascii = file.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return reply
    .type(file.mime)
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    )
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox; frame-ancestors 'none'")
    .header('cache-control', 'private, no-store')
    .send(file.bytes);
}
