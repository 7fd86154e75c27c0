/**
 * The QR code printed on debtor notices (the `qrcode` package): the portal link with its access code.
 * A notice is printed at about 25 mm for the code, so the symbol is held to version 10 (57 modules,
 * about 0.45 mm each), which a phone camera reads off paper; a longer link is refused, not squeezed.
 */
import QRCode from 'qrcode';

export const QR_MAX_VERSION = 10;

export interface QrMatrix {
  size: number;
  dark(row: number, col: number): boolean;
}

/** A link too long for a printable QR code. */
export class QrCapacityError extends Error {
  constructor(readonly payload: string) {
    super(
      `a link of ${payload.length} characters does not fit a printable QR code (version ${QR_MAX_VERSION} at most, error correction M)`,
    );
  }
}

export function qrMatrix(payload: string): QrMatrix {
  let code: QRCode.QRCode;
  try {
    code = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  } catch {
    throw new QrCapacityError(payload);
  }
  if (code.version > QR_MAX_VERSION) throw new QrCapacityError(payload);
  const { size, data } = code.modules;
  return { size, dark: (row, col) => data[row * size + col] === 1 };
}
