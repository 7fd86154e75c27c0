/**
 * A real SMTP server on 127.0.0.1 (smtp-server, no TLS, no auth) for tests and benchmarks, whose
 * behaviour can be switched: accept, refuse the recipient (550), refuse the data (554), or drop the
 * connection in the middle of the message. Plus a small MIME reader for what it received.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type SmtpMode = 'accept' | 'refuse_rcpt' | 'refuse_data' | 'drop';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
}

export interface LoopbackSmtp {
  url: string;
  received: ReceivedMail[];
  mode: SmtpMode;
  /** Whether to keep what was received (a benchmark only counts). */
  keep: boolean;
  count: number;
  close(): Promise<void>;
}

export async function startLoopbackSmtp(): Promise<LoopbackSmtp> {
  const state: Omit<LoopbackSmtp, 'url' | 'close'> = { received: [], mode: 'accept', keep: true, count: 0 };
  const server: SMTPServer = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    // No reverse DNS of 127.0.0.1 per connection: it costs about 100 ms where no resolver answers.
    disableReverseLookup: true,
    size: 50 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      if (state.mode === 'refuse_rcpt') {
        const err = Object.assign(new Error(`5.1.1 <${address.address}>: mailbox unavailable`), { responseCode: 550 });
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      if (state.mode === 'drop') {
        // Cut every connection as the message arrives: the client sees the socket close mid-DATA.
        stream.once('data', () => {
          for (const connection of server.connections)
            (connection as { _socket: { destroy(): void } })._socket.destroy();
        });
      }
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (state.mode === 'drop') return;
        if (state.mode === 'refuse_data') {
          return callback(Object.assign(new Error('5.7.1 message rejected as spam'), { responseCode: 554 }));
        }
        state.count++;
        if (state.keep) {
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          state.received.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return Object.assign(state, {
    url: `smtp://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const connection of server.connections) (connection as { _socket: { destroy(): void } })._socket.destroy();
        server.close(() => resolve());
      }),
  });
}

export interface MimePart {
  headers: Map<string, string>;
  /** Decoded body bytes (transfer encoding removed). */
  body: Buffer;
  parts: MimePart[];
  filename: string | null;
}

/** Parse a message as nodemailer writes it: headers (encoded words decoded), multipart bodies, attachments. */
export function parseMime(raw: Buffer | string): MimePart {
  const text = Buffer.isBuffer(raw) ? raw.toString('latin1') : raw;
  const split = text.search(/\r?\n\r?\n/);
  const head = split < 0 ? text : text.slice(0, split);
  const bodyText = split < 0 ? '' : text.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(
        line.slice(0, colon).trim().toLowerCase(),
        decodeWords(Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8')),
      );
  }
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  const parts: MimePart[] = [];
  if (/^multipart\//i.test(type) && boundary) {
    const sections = bodyText.split(`--${boundary}`);
    for (const section of sections.slice(1)) {
      if (section.startsWith('--')) break;
      parts.push(parseMime(section.replace(/^\r?\n/, '')));
    }
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const body =
    encoding === 'base64'
      ? Buffer.from(bodyText.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? Buffer.from(
            bodyText
              .replace(/=\r?\n/g, '')
              .replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          )
        : Buffer.from(bodyText, 'latin1');
  return { headers, body, parts, filename: filenameOf(headers) };
}

/** Every leaf part of a message, depth first. */
export function leafParts(part: MimePart): MimePart[] {
  return part.parts.length ? part.parts.flatMap(leafParts) : [part];
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, enc: string, data: string) => {
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64')
          : Buffer.from(
              data
                .replace(/_/g, ' ')
                .replace(/=([0-9A-F]{2})/gi, (__, h: string) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            );
      return new TextDecoder(charset).decode(bytes);
    });
}

/** The attachment's file name: a plain parameter, or RFC 2231 (`filename*0*=utf-8''…`) as nodemailer writes non-ASCII names. */
function filenameOf(headers: Map<string, string>): string | null {
  const disposition = headers.get('content-disposition') ?? '';
  const plain = /filename="([^"]*)"/i.exec(disposition) ?? /filename=([^;\s]+)/i.exec(disposition);
  if (plain) return plain[1]!;
  const pieces = [...disposition.matchAll(/filename\*(?:(\d+))?\*?=([^;]+)/gi)].sort(
    (a, b) => Number(a[1] ?? 0) - Number(b[1] ?? 0),
  );
  if (!pieces.length) return null;
  const joined = pieces.map((p) => p[2]!.trim().replace(/^"|"$/g, '')).join('');
  return decodeURIComponent(joined.replace(/^[^']*'[^']*'/, ''));
}
