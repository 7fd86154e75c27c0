/**
 * Schema validation. Bodies are validated strictly: no type coercion (a string is not a number) and
 * no silent removal of unknown fields, which are errors. Query strings and path parameters arrive
 * as text, so they are coerced, but an integer there must be written in decimal digits: Ajv alone
 * would read `0x3`, `3e0` or ` 3` as 3, so two spellings would name the same claim.
 */
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifySchemaValidationError } from 'fastify';

// ajv-formats ships CommonJS; its default export sits one level deeper under NodeNext.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

function makeAjv(opts: Options): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, removeAdditional: false, useDefaults: true, ...opts });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

const DECIMAL = /^-?\d+$/;

/** Names of the schema's properties that are integers, or lists of integers. */
function integerProperties(schema: unknown): string[] {
  const props = (schema as { properties?: Record<string, { type?: unknown; items?: { type?: unknown } }> }).properties;
  return Object.entries(props ?? {})
    .filter(([, p]) => p.type === 'integer' || (p.type === 'array' && p.items?.type === 'integer'))
    .map(([name]) => name);
}

type Validate = ((data: unknown) => boolean) & { errors?: FastifySchemaValidationError[] | null };

/** `validate`, after refusing integers in `names` that are not written in decimal digits. */
function decimalIntegers(validate: Validate, names: string[]): Validate {
  const wrapped: Validate = (data) => {
    const record = (data ?? {}) as Record<string, unknown>;
    for (const name of names) {
      const values = ([] as unknown[]).concat(record[name] ?? []);
      if (values.some((v) => typeof v === 'string' && !DECIMAL.test(v))) {
        wrapped.errors = [
          {
            instancePath: `/${name}`,
            schemaPath: `#/properties/${name}/type`,
            keyword: 'type',
            params: {},
            message: 'must be written in decimal digits',
          },
        ];
        return false;
      }
    }
    const ok = validate(data);
    wrapped.errors = validate.errors ?? null;
    return ok;
  };
  return wrapped;
}

export function installValidators(app: FastifyInstance): void {
  const strict = makeAjv({ coerceTypes: false });
  const coercing = makeAjv({ coerceTypes: 'array' });
  app.setValidatorCompiler(({ schema, httpPart }) => {
    if (httpPart === 'body') return strict.compile(schema);
    const validate = coercing.compile(schema);
    const integers = integerProperties(schema);
    return integers.length ? decimalIntegers(validate, integers) : validate;
  });
}
