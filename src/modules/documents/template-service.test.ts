import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../adapters/clock.js';
import { fontCoverage } from '../../adapters/pdf/font-coverage.js';
import { fontSetup } from '../../adapters/pdf/font-files.js';
import { type OpenedDatabase, openDatabase } from '../../db/open.js';
import { DOCUMENT_KINDS } from '../../domain/document-kinds.js';
import { BUILT_IN_TEMPLATES_DIR, createTemplateService } from './template-service.js';

const fonts = fontCoverage(fontSetup().chains.regular);

describe('built-in templates', () => {
  let dir: string;
  let database: OpenedDatabase;
  const versions = () =>
    database.sqlite
      .prepare("select version from templates where kind = 'demand_letter' and org_id is null order by version")
      .all();

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lmp-templates-'));
    for (const kind of DOCUMENT_KINDS)
      fs.copyFileSync(path.join(BUILT_IN_TEMPLATES_DIR, `${kind}.hbs`), path.join(dir, `${kind}.hbs`));
    database = openDatabase(path.join(dir, 'platform.db'));
  });
  afterEach(() => {
    database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('seeds each file once as the platform default, and an edited file as the next version', () => {
    const templates = createTemplateService({ db: database.db, clock: fixedClock('2026-11-20T02:00:00Z'), fonts, dir });
    templates.seedDefaults();
    templates.seedDefaults();
    expect(database.sqlite.prepare('select count(*) n from templates').get()).toEqual({ n: DOCUMENT_KINDS.length });
    const file = path.join(dir, 'demand_letter.hbs');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('特此函告。', '特此函告！'));
    templates.seedDefaults();
    expect(versions()).toEqual([{ version: 1 }, { version: 2 }]);
    expect(templates.effective('demand_letter', 1).version).toBe(2);
  });

  it('refuses to start with a broken file, naming the file and the problem', () => {
    const file = path.join(dir, 'demand_letter.hbs');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('{{debtor.name}}', '{{debtor.fullName}}'));
    const templates = createTemplateService({ db: database.db, clock: fixedClock('2026-11-20T02:00:00Z'), fonts, dir });
    expect(() => templates.seedDefaults()).toThrow(
      /demand_letter\.hbs: line \d+: unknown placeholder \{\{debtor\.fullName\}\}/,
    );
  });
});
