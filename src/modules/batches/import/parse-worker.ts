/**
 * Parse worker: reads the batch file row by row, validates, screens and seals each row, and sends
 * chunks to the write worker, waiting for its acknowledgement so memory stays flat however large
 * the file is.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { createFieldCrypto } from '../../../adapters/field-crypto.js';
import { type ColumnKey, columnHeader, mapHeader } from '../../../domain/batch-columns.js';
import { loanColumns, validateClaimRow } from '../../../domain/claim-row.js';
import { calendarFrom } from '../../../domain/holiday-calendar.js';
import { screenClaim } from '../../../domain/screening.js';
import { sealDebtor } from '../../debtors/store.js';
import { openImportFile, ReaderError } from '../readers/open-import-file.js';
import { damagedSpool } from '../readers/sheet.js';
import type { ParseJob, ParserToWriter, RowError, StagedRow, WriterToParser } from './protocol.js';

// Chunks in flight before the parser waits for the writer: enough to keep both threads busy.
const MAX_IN_FLIGHT = 4;

async function run(job: ParseJob, port: MessagePort): Promise<void> {
  const crypto = createFieldCrypto(Buffer.from(job.dataKey, 'base64'));
  const calendar = calendarFrom(job.calendarRows);
  let inFlight = 0;
  let wake: (() => void) | null = null;
  port.on('message', (m: WriterToParser) => {
    if (m.type === 'ack') {
      inFlight--;
      wake?.();
    }
  });
  const send = async (m: ParserToWriter) => {
    port.postMessage(m);
    if (m.type !== 'rows') return;
    inFlight++;
    while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => (wake = r));
  };

  const sheet = await openImportFile(job.file, {
    format: job.format,
    charset: job.charset,
    sheet: job.sheet,
    maxFieldBytes: job.maxFieldBytes,
    dataKey: Buffer.from(job.dataKey, 'base64'),
  });
  const mapping = mapHeader(sheet.header);
  if (!mapping.ok) throw new ReaderError(mapping.code, mapping.detail);
  const { columns } = mapping;
  const checkCellCount = job.format === 'csv';

  let rows: StagedRow[] = [];
  let errors: RowError[] = [];
  let rowsRead = 0;
  const flush = () => {
    const chunk: ParserToWriter = {
      type: 'rows',
      rows,
      errors,
      rowsRead,
      bytesRead: sheet.bytesRead(),
      bytesTotal: sheet.bytesTotal,
    };
    rows = [];
    errors = [];
    return send(chunk);
  };

  for await (const { rowNo, cells } of sheet.rows) {
    const record: Partial<Record<ColumnKey, unknown>> = {};
    for (let i = 0; i < columns.length; i++) {
      const key = columns[i];
      if (key) record[key] = cells[i];
    }
    const result = validateClaimRow(record, { asOf: job.asOf });
    if (!result.ok && result.errors.length === 1 && result.errors[0]!.code === 'row_empty') continue;
    if (++rowsRead > job.maxRows) {
      throw new ReaderError(
        'too_many_rows',
        `The file has more than ${job.maxRows} data rows, the limit for one batch. Split it into several batches.`,
      );
    }
    const shapeError = checkCellCount ? cellCountError(rowNo, cells, columns.length) : null;
    if (!result.ok || shapeError) {
      if (shapeError) errors.push(shapeError);
      if (!result.ok)
        for (const e of result.errors)
          errors.push({
            rowNo,
            column: e.column ? columnHeader(e.column) : null,
            code: e.code,
            message: e.message,
            value: e.value,
          });
    } else {
      const r = result.row;
      const s = screenClaim(r, { asOf: job.asOf, lenderType: job.lenderType, lprRows: job.lprRows, calendar });
      rows.push({
        rowNo,
        debtor: sealDebtor(crypto, r),
        claim: {
          ...loanColumns(r, job.asOf),
          loanClass: s.loanClass,
          riskScore: s.riskScore,
          screening: s.outcome,
          aboveCapFen: s.aboveCapFen,
          rateTransition: s.transition,
          limitationExpiresOn: s.limitationExpiresOn,
        },
        action: s.action,
        reasons: s.reasons.map((x) => `${x.code}: ${x.message}`),
      });
    }
    if (rows.length + errors.length >= job.chunkSize) await flush();
  }
  await flush();
  port.postMessage({
    type: 'end',
    rowsRead,
    warnings: mapping.extra.length ? [`Columns ignored: ${mapping.extra.join(', ')}.`] : [],
  } satisfies ParserToWriter);
}

/** A CSV row whose cell count disagrees with the header: a lost separator or an unquoted comma. */
function cellCountError(rowNo: number, cells: unknown[], width: number): RowError | null {
  if (cells.length < width) {
    return {
      rowNo,
      column: null,
      code: 'row_too_short',
      message: `The row has ${cells.length} cells but the header has ${width}; a separator may be missing.`,
      value: '',
    };
  }
  let used = cells.length;
  while (used > width && (cells[used - 1] === '' || cells[used - 1] == null)) used--;
  if (used > width) {
    return {
      rowNo,
      column: null,
      code: 'row_too_long',
      message: `The row has ${used} cells but the header has ${width}; a value may contain an unquoted comma.`,
      value: '',
    };
  }
  return null;
}

const { job, port } = workerData as { job: ParseJob; port: MessagePort };
run(job, port).catch((err: unknown) => {
  err = damagedSpool(err);
  const fatal: ParserToWriter =
    err instanceof ReaderError
      ? { type: 'fatal', code: err.code, detail: err.detail }
      : {
          type: 'fatal',
          code: 'parse_failed',
          detail: 'The file could not be read to the end; check that it is a complete CSV or XLSX export.',
        };
  if (!(err instanceof ReaderError))
    parentPort?.postMessage({ type: 'crash', message: String((err as Error)?.stack ?? err) });
  port.postMessage(fatal);
});
