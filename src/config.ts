/** Typed configuration from the environment: defaults that run with no setup, every problem listed at once. */
import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import type { ExtendedFontSetting } from './adapters/pdf/font-files.js';
import { QrCapacityError, qrMatrix } from './adapters/pdf/qr.js';
import { DEFAULT_DAILY_CAPS } from './domain/contact-policy.js';
import { portalUrlOf } from './domain/document-text.js';
import { INSTALMENT_REMINDER_DAYS, OBJECTION_REPLY_DAYS } from './domain/rule-defaults.js';

/** How long a write waits for another connection's by default (see Config.dbBusyTimeoutMs); scripts that open the database use it too. */
export const DEFAULT_DB_BUSY_TIMEOUT_MS = 500;

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** 32-byte key for personal-data encryption, base64; when absent it is generated into dataDir. */
  dataKey: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Seed the demo organisations, users and claims into an empty database. */
  demoSeed: boolean;
  sessionTtlHours: number;
  bodyLimitBytes: number;
  /**
   * How long a write waits for another writer before it gives up. The wait blocks the event loop, so
   * it covers the short commits of the frame store thread and the jobs, not a batch import's.
   */
  dbBusyTimeoutMs: number;
  /** Failed sign-ins per (user name, address) in the window before each try waits a doubling delay. */
  loginMaxFailures: number;
  loginWindowMinutes: number;
  /** Failures for one user name (all addresses) and from one address (all users) past which tries are spaced. */
  loginUserCeiling: number;
  loginAddressCeiling: number;
  /** The first delay, and the spacing between tries once a ceiling is passed. */
  loginSlowSeconds: number;
  /**
   * Which proxies to believe about the client's address (X-Forwarded-For): none (false), or their
   * addresses and CIDR ranges. A hop count is not offered: it cannot tell a proxy from a client.
   */
  trustProxy: false | string;
  /** Public base URL used in links printed on notices. */
  publicUrl: string;
  smtpUrl: string | null;
  mailFrom: string;
  /** The platform's signing key and certificate (PKCS#12) for agreements; null: generated into dataDir. */
  signingP12File: string | null;
  signingP12Passphrase: string;
  /** Batch import limits: file size, data rows, one field (CSV record) and a JSON batch body. */
  importMaxBytes: number;
  importMaxRows: number;
  importMaxFieldBytes: number;
  importJsonMaxBytes: number;
  /** PDF rendering threads for documents, and the most claims one document batch may cover. */
  documentRenderWorkers: number;
  documentBatchMaxClaims: number;
  /** The last font of the document font chain, for CJK Extension B and beyond (DOCUMENT_EXTENDED_FONT). */
  documentExtendedFont: ExtendedFontSetting;
  /** Delivery sender job: seconds between runs, deliveries per run, attempts before failing for good. */
  deliveryIntervalSeconds: number;
  deliveryBatchSize: number;
  deliveryMaxAttempts: number;
  /** A delivery left 'sending' this long (the process stopped mid-send) is sent again. */
  deliverySendingTimeoutMinutes: number;
  /** Per-debtor daily caps on notices sent (DOMAIN.md §6.1; a design default, not from the guideline). */
  contactDailyCapSms: number;
  contactDailyCapEmail: number;
  /** Days before an instalment's due date that the debtor is reminded by SMS. */
  instalmentReminderDays: number;
  /** Debtor portal: days to answer an objection, counted per CPL art. 85. */
  objectionReplyDays: number;
  /** Days before an objection's or hardship request's reply deadline that the organisation is reminded. */
  objectionReminderDays: number;
  /** One-time sign-in codes: lifetime, wrong tries allowed, codes sent per claim per hour. */
  otpTtlMinutes: number;
  otpMaxAttempts: number;
  otpSendsPerHour: number;
  /** Failed sign-ins on one access code before it locks, and for how long. */
  accessCodeMaxFailures: number;
  accessCodeLockMinutes: number;
  /** Failed debtor sign-ins per address within LOGIN_WINDOW_MINUTES (mobile networks share addresses). */
  debtorIpMaxFailures: number;
  debtorSessionHours: number;
  /** Evidence a debtor uploads: bytes per file and files per request. */
  attachmentMaxBytes: number;
  attachmentMaxFiles: number;
  /** Longest instalment plan a granted hardship request allows. */
  hardshipMaxInstalments: number;
  /** Session sockets: ping interval (a connection silent for two is dropped), send buffer, frame rate and chat size. */
  sessionHeartbeatSeconds: number;
  sessionSendBufferBytes: number;
  sessionFramesPerSecond: number;
  sessionChatMaxBytes: number;
  /** Frames held in memory, across all rooms, while their store waits for the database. */
  sessionQueueMaxFrames: number;
  /** A live session ends this long after it started (or was due to, whichever is later): the job closes it then. */
  sessionMaxMinutes: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n- ${problems.join('\n- ')}`);
    this.name = 'ConfigError';
  }
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUST_PROXY: unset or false, or a comma list of addresses, CIDR ranges and proxy-addr names. */
function parseTrustProxy(raw: string | undefined, problems: string[]): Config['trustProxy'] {
  if (raw === undefined || raw === '' || raw.toLowerCase() === 'false') return false;
  const parts = raw.split(',').map((p) => p.trim());
  const valid = (p: string) => {
    const [ip, bits, extra] = p.split('/');
    if (extra !== undefined || !ip) return false;
    if (PROXY_NAMES.includes(ip) && bits === undefined) return true;
    const family = isIP(ip);
    return (
      family !== 0 && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)))
    );
  };
  const bad = parts.filter((p) => !valid(p));
  if (bad.length) {
    problems.push(
      `TRUST_PROXY must be false, or the addresses and CIDR ranges of your proxies (or ${PROXY_NAMES.join(', ')}), comma-separated; not ${bad.map((b) => `"${b}"`).join(', ')}. "true" is refused: it would believe any client's X-Forwarded-For.`,
    );
    return false;
  }
  return parts.join(',');
}

/** Unset: found on the system; `none`: no extended font; else a font file that must exist. */
function extendedFontSetting(raw: string | undefined, problems: string[]): ExtendedFontSetting {
  if (!raw) return { use: 'system' };
  if (raw === 'none') return { use: 'none' };
  if (!fs.existsSync(raw)) problems.push(`DOCUMENT_EXTENDED_FONT names a file that does not exist: ${raw}.`);
  return { use: 'file', file: path.resolve(raw) };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Read the configuration from `env`; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}").`);
      return def;
    }
    return n;
  };
  const bool = (name: string, def: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
    problems.push(`${name} must be true or false (got "${raw}").`);
    return def;
  };

  const host = env.HOST || '127.0.0.1';
  const port = int('PORT', 3000, 0, 65535);
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const dataKey = env.DATA_KEY || null;
  if (dataKey !== null && Buffer.from(dataKey, 'base64').length !== 32) {
    problems.push('DATA_KEY must be 32 bytes encoded in base64 (e.g. `openssl rand -base64 32`).');
  }
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}.`);
  const publicUrl = (env.PUBLIC_URL || `http://${host}:${port}`).replace(/\/$/, '');
  if (!/^https?:\/\//.test(publicUrl)) problems.push('PUBLIC_URL must start with http:// or https://.');
  try {
    // Every debtor notice prints the portal link with an access code as a QR code.
    qrMatrix(portalUrlOf(publicUrl, 'XXXX-XXXX'));
  } catch (err) {
    if (!(err instanceof QrCapacityError)) throw err;
    problems.push(`PUBLIC_URL is too long for the QR code printed on notices (${err.message}).`);
  }
  const documentExtendedFont = extendedFontSetting(env.DOCUMENT_EXTENDED_FONT, problems);
  const signingP12File = env.SIGNING_P12_FILE ? path.resolve(env.SIGNING_P12_FILE) : null;
  if (signingP12File !== null && !fs.existsSync(signingP12File))
    problems.push(
      `SIGNING_P12_FILE ${signingP12File} does not exist (unset it to have a key generated into DATA_DIR).`,
    );
  const smtpUrl = env.SMTP_URL || null;
  if (smtpUrl !== null && !/^smtps?:\/\//.test(smtpUrl)) problems.push('SMTP_URL must start with smtp:// or smtps://.');

  const config: Config = {
    host,
    port,
    dataDir,
    dataKey,
    logLevel,
    demoSeed: bool('DEMO_SEED', true),
    sessionTtlHours: int('SESSION_TTL_HOURS', 12, 1, 24 * 30),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    dbBusyTimeoutMs: int('DB_BUSY_TIMEOUT_MS', DEFAULT_DB_BUSY_TIMEOUT_MS, 0, 60_000),
    loginMaxFailures: int('LOGIN_MAX_FAILURES', 5, 1, 1000),
    loginWindowMinutes: int('LOGIN_WINDOW_MINUTES', 15, 1, 24 * 60),
    loginUserCeiling: int('LOGIN_USER_CEILING', 20, 1, 100_000),
    loginAddressCeiling: int('LOGIN_ADDRESS_CEILING', 100, 1, 1_000_000),
    loginSlowSeconds: int('LOGIN_SLOW_SECONDS', 30, 1, 3600),
    trustProxy: parseTrustProxy(env.TRUST_PROXY, problems),
    publicUrl,
    smtpUrl,
    mailFrom: env.MAIL_FROM || 'noreply@mediation.local',
    signingP12File,
    signingP12Passphrase: env.SIGNING_P12_PASSPHRASE ?? '',
    importMaxBytes: int('IMPORT_MAX_BYTES', 512 * 1024 * 1024, 1024, 4 * 1024 * 1024 * 1024),
    importMaxRows: int('IMPORT_MAX_ROWS', 2_000_000, 1, 50_000_000),
    importMaxFieldBytes: int('IMPORT_MAX_FIELD_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
    importJsonMaxBytes: int('IMPORT_JSON_MAX_BYTES', 32 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    documentRenderWorkers: int('DOCUMENT_RENDER_WORKERS', 2, 1, 16),
    documentBatchMaxClaims: int('DOCUMENT_BATCH_MAX_CLAIMS', 100_000, 1, 10_000_000),
    documentExtendedFont,
    deliveryIntervalSeconds: int('DELIVERY_INTERVAL_SECONDS', 30, 1, 3600),
    deliveryBatchSize: int('DELIVERY_BATCH_SIZE', 200, 1, 10_000),
    deliveryMaxAttempts: int('DELIVERY_MAX_ATTEMPTS', 5, 1, 20),
    deliverySendingTimeoutMinutes: int('DELIVERY_SENDING_TIMEOUT_MINUTES', 10, 1, 24 * 60),
    contactDailyCapSms: int('CONTACT_DAILY_CAP_SMS', DEFAULT_DAILY_CAPS.sms ?? 3, 1, 100),
    contactDailyCapEmail: int('CONTACT_DAILY_CAP_EMAIL', DEFAULT_DAILY_CAPS.email ?? 3, 1, 100),
    instalmentReminderDays: int('INSTALMENT_REMINDER_DAYS', INSTALMENT_REMINDER_DAYS, 0, 60),
    objectionReplyDays: int('OBJECTION_REPLY_DAYS', OBJECTION_REPLY_DAYS, 1, 365),
    objectionReminderDays: int('OBJECTION_REMINDER_DAYS', 3, 0, 60),
    otpTtlMinutes: int('OTP_TTL_MINUTES', 5, 1, 60),
    otpMaxAttempts: int('OTP_MAX_ATTEMPTS', 5, 1, 20),
    otpSendsPerHour: int('OTP_SENDS_PER_HOUR', 5, 1, 100),
    accessCodeMaxFailures: int('ACCESS_CODE_MAX_FAILURES', 5, 1, 100),
    accessCodeLockMinutes: int('ACCESS_CODE_LOCK_MINUTES', 30, 1, 24 * 60),
    debtorIpMaxFailures: int('DEBTOR_IP_MAX_FAILURES', 20, 1, 10_000),
    debtorSessionHours: int('DEBTOR_SESSION_HOURS', 2, 1, 24),
    attachmentMaxBytes: int('ATTACHMENT_MAX_BYTES', 5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    attachmentMaxFiles: int('ATTACHMENT_MAX_FILES', 5, 1, 20),
    hardshipMaxInstalments: int('HARDSHIP_MAX_INSTALMENTS', 36, 1, 120),
    sessionHeartbeatSeconds: int('SESSION_HEARTBEAT_SECONDS', 30, 1, 600),
    sessionSendBufferBytes: int('SESSION_SEND_BUFFER_BYTES', 1024 * 1024, 16 * 1024, 64 * 1024 * 1024),
    sessionFramesPerSecond: int('SESSION_FRAMES_PER_SECOND', 20, 1, 1000),
    sessionChatMaxBytes: int('SESSION_CHAT_MAX_BYTES', 4096, 256, 16 * 1024),
    sessionQueueMaxFrames: int('SESSION_QUEUE_MAX_FRAMES', 10_000, 1, 1_000_000),
    sessionMaxMinutes: int('SESSION_MAX_MINUTES', 240, 15, 24 * 60),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
