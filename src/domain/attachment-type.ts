/**
 * What an uploaded evidence file is, judged by its bytes, and whether its name may be kept. Only PDF,
 * JPEG and PNG are accepted; the name's extension must agree with the bytes, so a renamed file is refused.
 */

export const ATTACHMENT_TYPES = {
  pdf: { mime: 'application/pdf', extensions: ['.pdf'], magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  jpeg: { mime: 'image/jpeg', extensions: ['.jpg', '.jpeg'], magic: [0xff, 0xd8, 0xff] },
  png: { mime: 'image/png', extensions: ['.png'], magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
} as const;

export type AttachmentType = keyof typeof ATTACHMENT_TYPES;

const TYPES = Object.keys(ATTACHMENT_TYPES) as AttachmentType[];

/** The type the first bytes show, or null when they are none of the accepted ones. */
export function typeFromBytes(bytes: Uint8Array): AttachmentType | null {
  return TYPES.find((t) => ATTACHMENT_TYPES[t].magic.every((b, i) => bytes[i] === b)) ?? null;
}

/** The type a file name's extension claims, or null for any other extension. */
export function typeFromName(name: string): AttachmentType | null {
  const dot = name.lastIndexOf('.');
  const ext = dot < 0 ? '' : name.slice(dot).toLowerCase();
  return TYPES.find((t) => (ATTACHMENT_TYPES[t].extensions as readonly string[]).includes(ext)) ?? null;
}

export type NameProblem = 'empty' | 'too_long' | 'path' | 'control_character';

/**
 * Why a client-sent file name cannot be kept, or null when it can. Folders (`/`, `\`, `../`) and
 * control characters (NUL above all) are refused rather than stripped: such a name is never an accident.
 * Names are only shown, never used on disk (files are stored under random keys).
 */
export function fileNameProblem(name: string): NameProblem | null {
  if (name.trim() === '') return 'empty';
  if ([...name].length > 200) return 'too_long';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refuses file names that contain control characters
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'control_character';
  if (/[/\\]/.test(name) || name === '.' || name === '..') return 'path';
  return null;
}

export type AttachmentCheck =
  | { ok: true; type: AttachmentType; mime: string }
  | { ok: false; reason: 'bad_file_name' | 'type_not_accepted' | 'type_mismatch'; detail: string };

/** Check one upload: a name that may be kept, an accepted extension, and bytes of that same type. */
export function checkAttachment(name: string, bytes: Uint8Array): AttachmentCheck {
  const problem = fileNameProblem(name);
  if (problem)
    return {
      ok: false,
      reason: 'bad_file_name',
      detail: `The file name "${printable(name)}" cannot be accepted (${problem.replace('_', ' ')}); rename the file and send it again.`,
    };
  const claimed = typeFromName(name);
  if (!claimed)
    return {
      ok: false,
      reason: 'type_not_accepted',
      detail: `"${name}" is not a PDF, JPEG or PNG file; only those are accepted as evidence.`,
    };
  const actual = typeFromBytes(bytes);
  if (actual !== claimed) {
    return {
      ok: false,
      reason: 'type_mismatch',
      detail: `"${name}" is named as ${claimed.toUpperCase()} but its content is ${actual ? actual.toUpperCase() : 'not a PDF, JPEG or PNG'}; send the original file.`,
    };
  }
  return { ok: true, type: actual, mime: ATTACHMENT_TYPES[actual].mime };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: masks control characters before a file name is quoted in a message
const printable = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 80);
