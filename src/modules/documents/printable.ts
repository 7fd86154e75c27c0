/** A document is printed with every character in a font, or refused before anything is written. */
import { describeCharacters, type FontCoverage } from '../../adapters/pdf/font-coverage.js';
import { type DocumentModel, printedText } from '../../domain/document-text.js';
import { AppError } from '../../errors.js';

/** Throws 422 missing_character naming each character no document font has; `what` names the document. */
export function assertPrintable(fonts: FontCoverage, model: DocumentModel, what: string): void {
  const missing = fonts.missing(printedText(model));
  if (missing.length)
    throw new AppError(
      'unprocessable',
      `${what} cannot be printed: ${describeCharacters(missing)} ${missing.length === 1 ? 'is' : 'are'} in none of the document fonts (GET /health names the fallback font in use).`,
      { reason: 'missing_character' },
    );
}
