/**
 * Spool files: an upload (a batch, a repayment file) or a scratch copy of a worksheet, kept on disk
 * only while it is imported. They hold ID numbers and phones in the clear inside, so each is created
 * mode 0600 and sealed with the data key as it is written; a crash leaves only ciphertext, and the
 * next start removes it (removeSpoolLeftovers).
 *
 * Format, version 1. A 40-byte header: magic "LMPSPOOL", version (1), three zero bytes, the segment
 * size (u32 BE), a random 16-byte salt and a random 8-byte nonce prefix. Then the plaintext in
 * segments of SEGMENT_BYTES (the last one shorter, and empty only when the file is), each sealed with
 * AES-256-GCM: ciphertext, then its 16-byte tag. The file's key is HKDF-SHA256(data key, salt,
 * "spool-file"); segment i's nonce is prefix ‖ i (u32 BE); its additional data is the header ‖ i ‖ a
 * last-segment flag, so a segment cannot be altered, moved, swapped with another file's or cut off the
 * end unnoticed. Any byte of plaintext can be reached by decrypting the one segment it is in, so the
 * zip reader's random access (the central directory at the end) costs one segment, and memory stays
 * at a few segments whatever the file's size.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const MAGIC = Buffer.from('LMPSPOOL', 'latin1');
const VERSION = 1;
const HEADER_BYTES = 40;
const TAG_BYTES = 16;
/** Plaintext bytes per segment: the readers' chunk, so a sequential read decrypts one segment per chunk. */
export const SEGMENT_BYTES = 64 * 1024;
const MAX_SEGMENTS = 2 ** 32;

/** A spool file that fails its check: altered or cut short on disk, or sealed with another key. */
export class SpoolDamagedError extends Error {
  override readonly name = 'SpoolDamagedError';
  readonly code = 'upload_damaged';
  constructor(
    readonly file: string,
    what: string,
  ) {
    super(
      `The copy of the file kept on the server while it is imported failed its integrity check (${what}); nothing of it was imported. Send the file again.`,
    );
  }
}

/** What the spool files of one data folder share: where they live and the key they are sealed with. */
export interface Spool {
  dir: string;
  dataKey: Buffer;
}

const NAME = /^(\d+)-[0-9a-f]{24}\.(upload|sheet)$/;

/** A new spool file name in `dir`, owned by this process (its pid leads the name, for the start-up sweep). */
export function newSpoolPath(dir: string, kind: 'upload' | 'sheet' = 'upload'): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return path.join(dir, `${process.pid}-${crypto.randomBytes(12).toString('hex')}.${kind}`);
}

function fileKey(dataKey: Buffer, salt: Buffer): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', dataKey, salt, 'spool-file', 32));
}

function newHeader(): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(h, 0);
  h[8] = VERSION;
  h.writeUInt32BE(SEGMENT_BYTES, 12);
  crypto.randomFillSync(h, 16, 24);
  return h;
}

/** Seals segments in order; `seal(plain, last)` answers ciphertext ‖ tag. */
function sealer(dataKey: Buffer, header: Buffer) {
  const key = fileKey(dataKey, header.subarray(16, 32));
  const nonce = Buffer.alloc(12);
  header.copy(nonce, 0, 32, 40);
  const aad = Buffer.alloc(HEADER_BYTES + 5);
  header.copy(aad, 0);
  let index = 0;
  return (plain: Buffer, last: boolean): Buffer[] => {
    if (index >= MAX_SEGMENTS) throw new Error('A spool file holds at most 2^32 segments.');
    nonce.writeUInt32BE(index, 8);
    aad.writeUInt32BE(index, HEADER_BYTES);
    aad[HEADER_BYTES + 4] = last ? 1 : 0;
    index++;
    const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(aad);
    const body = cipher.update(plain);
    cipher.final();
    return [body, cipher.getAuthTag()];
  };
}

/**
 * A stream that writes a new spool file (mode 0600, refusing one that exists), sealing each segment
 * as it fills; the file is complete once the stream finishes. A full segment is held until more bytes
 * come or the stream ends, since only then is it known whether it is the last.
 */
export class SpoolWriter extends Writable {
  private fd: number | null = null;
  private readonly segment = Buffer.allocUnsafe(SEGMENT_BYTES);
  private filled = 0;
  private readonly header = newHeader();
  private readonly seal: ReturnType<typeof sealer>;

  constructor(
    readonly file: string,
    dataKey: Buffer,
  ) {
    super({ highWaterMark: SEGMENT_BYTES });
    this.seal = sealer(dataKey, this.header);
  }

  override _construct(cb: (err?: Error | null) => void): void {
    fs.open(this.file, 'wx', 0o600, (err, fd) => {
      if (err) return cb(err);
      this.fd = fd;
      fs.write(fd, this.header, (e) => cb(e));
    });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    const out: Buffer[] = [];
    for (let pos = 0; pos < chunk.length; ) {
      if (this.filled === SEGMENT_BYTES) {
        out.push(...this.seal(this.segment, false));
        this.filled = 0;
      }
      const n = Math.min(SEGMENT_BYTES - this.filled, chunk.length - pos);
      chunk.copy(this.segment, this.filled, pos, pos + n);
      this.filled += n;
      pos += n;
    }
    if (out.length) fs.writev(this.fd!, out, (err) => cb(err));
    else cb();
  }

  override _final(cb: (err?: Error | null) => void): void {
    const fd = this.fd!;
    fs.writev(fd, this.seal(this.segment.subarray(0, this.filled), true), (err) => {
      if (err) return cb(err);
      this.fd = null;
      fs.close(fd, cb);
    });
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    const fd = this.fd;
    this.fd = null;
    if (fd === null) cb(err);
    else fs.close(fd, () => cb(err));
  }
}

/** Write `data` as a new spool file at once (the JSON form of a batch). */
export function writeSpoolFileSync(file: string, dataKey: Buffer, data: Buffer): void {
  const header = newHeader();
  const seal = sealer(dataKey, header);
  const out: Buffer[] = [header];
  let pos = 0;
  do {
    const end = Math.min(pos + SEGMENT_BYTES, data.length);
    out.push(...seal(data.subarray(pos, end), end === data.length));
    pos = end;
  } while (pos < data.length);
  fs.writeFileSync(file, Buffer.concat(out), { mode: 0o600, flag: 'wx' });
}

/** An open spool file: its plaintext size and authenticated reads at any position. */
export class SpoolFile {
  private cached: { index: number; plain: Buffer } | null = null;
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly fh: FileHandle,
    private readonly header: Buffer,
    private readonly key: Buffer,
    private readonly segments: number,
    private readonly lastBytes: number,
  ) {}

  /** Open a spool file; one that is not a spool file of this key fails with SpoolDamagedError. */
  static async open(file: string, dataKey: Buffer): Promise<SpoolFile> {
    const fh = await fs.promises.open(file, 'r');
    try {
      const { size } = await fh.stat();
      const header = Buffer.alloc(HEADER_BYTES);
      const { bytesRead } = await fh.read(header, 0, HEADER_BYTES, 0);
      if (bytesRead < HEADER_BYTES || !header.subarray(0, 8).equals(MAGIC))
        throw new SpoolDamagedError(file, 'it is not a spool file');
      if (header[8] !== VERSION || header.readUInt32BE(12) !== SEGMENT_BYTES)
        throw new SpoolDamagedError(file, `unknown spool format ${header[8]}`);
      const body = size - HEADER_BYTES;
      const segments = body <= TAG_BYTES ? 1 : Math.ceil((body - TAG_BYTES) / (SEGMENT_BYTES + TAG_BYTES));
      const lastBytes = body - (segments - 1) * (SEGMENT_BYTES + TAG_BYTES) - TAG_BYTES;
      if (lastBytes < 0 || (lastBytes === 0 && segments > 1))
        throw new SpoolDamagedError(file, 'the file was cut short');
      return new SpoolFile(file, fh, header, fileKey(dataKey, header.subarray(16, 32)), segments, lastBytes);
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  /** Bytes of plaintext. */
  get size(): number {
    return (this.segments - 1) * SEGMENT_BYTES + this.lastBytes;
  }

  /** The plaintext of segment `index`, checked. */
  async segment(index: number): Promise<Buffer> {
    if (this.cached?.index === index) return this.cached.plain;
    const last = index === this.segments - 1;
    const plainBytes = last ? this.lastBytes : SEGMENT_BYTES;
    const sealed = Buffer.allocUnsafe(plainBytes + TAG_BYTES);
    const { bytesRead } = await this.fh.read(
      sealed,
      0,
      sealed.length,
      HEADER_BYTES + index * (SEGMENT_BYTES + TAG_BYTES),
    );
    if (bytesRead < sealed.length) throw new SpoolDamagedError(this.file, `segment ${index} was cut short`);
    const nonce = Buffer.alloc(12);
    this.header.copy(nonce, 0, 32, 40);
    nonce.writeUInt32BE(index, 8);
    const aad = Buffer.alloc(HEADER_BYTES + 5);
    this.header.copy(aad, 0);
    aad.writeUInt32BE(index, HEADER_BYTES);
    aad[HEADER_BYTES + 4] = last ? 1 : 0;
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, nonce);
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(plainBytes));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(sealed.subarray(0, plainBytes)), decipher.final()]);
    } catch {
      throw new SpoolDamagedError(this.file, `segment ${index} was altered`);
    }
    this.cached = { index, plain };
    return plain;
  }

  /** Up to `length` bytes of plaintext from `position` (fewer at the end of the file). */
  async read(position: number, length: number): Promise<Buffer> {
    const end = Math.min(this.size, position + length);
    const parts: Buffer[] = [];
    for (let at = position; at < end; ) {
      const index = Math.floor(at / SEGMENT_BYTES);
      const plain = await this.segment(index);
      const from = at - index * SEGMENT_BYTES;
      const to = Math.min(plain.length, end - index * SEGMENT_BYTES);
      parts.push(plain.subarray(from, to));
      at += to - from;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** The plaintext from `start` up to `end` (exclusive) as a stream; the file stays open after it. */
  stream(opts: { start?: number; end?: number } = {}): SpoolReadStream {
    return new SpoolReadStream(this, opts.start ?? 0, opts.end ?? this.size, false);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fh.close();
  }
}

/** Plaintext of a spool file as a stream; `bytesRead` counts the plaintext bytes it has given. */
export class SpoolReadStream extends Readable {
  bytesRead = 0;
  private at: number;

  constructor(
    readonly spool: SpoolFile,
    start: number,
    private readonly end: number,
    private readonly ownsFile: boolean,
  ) {
    super({ highWaterMark: SEGMENT_BYTES });
    this.at = start;
  }

  override _read(): void {
    if (this.at >= this.end) {
      this.push(null);
      return;
    }
    const index = Math.floor(this.at / SEGMENT_BYTES);
    this.spool.segment(index).then(
      (plain) => {
        const from = this.at - index * SEGMENT_BYTES;
        const to = Math.min(plain.length, this.end - index * SEGMENT_BYTES);
        // A copy: the file caches the segment it read last and hands the same buffer to others.
        const chunk = Buffer.from(plain.subarray(from, to));
        this.at += chunk.length;
        this.bytesRead += chunk.length;
        this.push(chunk);
      },
      (err: Error) => this.destroy(err),
    );
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.ownsFile) cb(err);
    else
      this.spool.close().then(
        () => cb(err),
        () => cb(err),
      );
  }
}

/** A spool file's plaintext as a stream that opens the file and closes it when it ends or is destroyed. */
export async function openSpoolStream(file: string, dataKey: Buffer): Promise<SpoolReadStream> {
  const spool = await SpoolFile.open(file, dataKey);
  return new SpoolReadStream(spool, 0, spool.size, true);
}

/** A file this old goes whoever owns it: its pid may have been reused by another program since. */
const OWNER_REUSED_AFTER_MS = 24 * 3_600_000;

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the spool files nobody will read: those of a process that has ended and, at start-up (when
 * nothing of this process runs yet), this pid's too (a pid an earlier process had) and any file not
 * named like a spool file (an upload stored in the clear by an older version). An import from the
 * command line running beside the server keeps its files while its process is alive (a day at most, in
 * case its pid was reused). Answers how many went.
 */
export function removeSpoolLeftovers(dir: string, opts: { atStart: boolean }): number {
  if (!fs.existsSync(dir)) return 0;
  let removed = 0;
  for (const name of fs.readdirSync(dir)) {
    const owner = NAME.exec(name)?.[1];
    const pid = owner === undefined ? null : Number(owner);
    const file = path.join(dir, name);
    const stale =
      pid === null || pid === process.pid
        ? opts.atStart
        : !running(pid) || Date.now() - fs.statSync(file, { throwIfNoEntry: false })!.mtimeMs > OWNER_REUSED_AFTER_MS;
    if (!stale) continue;
    fs.rmSync(file, { force: true, recursive: true });
    removed++;
  }
  return removed;
}

/**
 * Copy a file of the operator's (the command-line import) into a new spool file; answers its path,
 * the SHA-256 of its bytes and its first four bytes (to tell its format).
 */
export async function spoolCopy(source: string, spool: Spool): Promise<{ file: string; sha256: string; head: Buffer }> {
  const file = newSpoolPath(spool.dir);
  const hash = crypto.createHash('sha256');
  let head = Buffer.alloc(0);
  try {
    await pipeline(
      fs.createReadStream(source),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          if (head.length < 4) head = Buffer.concat([head, chunk.subarray(0, 4)]);
          yield chunk;
        }
      },
      new SpoolWriter(file, spool.dataKey),
    );
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw err;
  }
  return { file, sha256: hash.digest('hex'), head };
}
