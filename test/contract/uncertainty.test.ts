// Uncertainty has one form (scripts/uncertainties.mjs): "Uncertain:" in a description beside an
// `x-uncertain` note saying what is known, "*Uncertain:*" in the introduction. The docs' Uncertainties
// page is generated from those marks; here the marks are held to the form, and the built page to the list.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { contractUncertainties, introductionUncertainties, markProblems, uncertaintiesMarkdown } from '../../scripts/uncertainties.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = () => parse(readFileSync(new URL('../../generated/openapi.yaml', import.meta.url), 'utf8'));
const contract = read();
const introduction: string = contract.info.description;

/** Follows a JSON pointer into the bundle. */
function at(pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<any>((node, key) => node?.[key], contract);
}

describe('uncertainty marks', () => {
  test('every mark in the contract and the introduction is in the one form', () => {
    expect(markProblems(contract, introduction)).toEqual([]);
  });

  test('the statements the issue names as unsourced are marked where they are made', () => {
    const where = contractUncertainties(contract).map((entry) => entry.where);
    for (const expected of [
      'socialize.login › parameter `finalizeRegistration`',
      'socialize.login › response 302',
      'LoginRedirectResult',
      'ResponseEnvelope › `statusCode`',
      'ActionAttributes',
      'User › `isConnected`',
      'User › `isTempUser`',
      'User › `providers`',
      'User › `oldestDataAge`',
      'example PendingRegistration',
      'NotifyLoginRequest › `UIDTimestamp`',
    ]) {
      expect(where, expected).toContain(expected);
    }
    const sections = introductionUncertainties(introduction).map((entry) => entry.where);
    expect(sections).toEqual(expect.arrayContaining(['Data centers', 'Signatures', 'Errors', 'New user signs up with a social network']));
  });

  test('each entry of the list points at a node of the contract that still carries its mark', () => {
    for (const entry of contractUncertainties(contract)) {
      const node = at(entry.pointer) as { description?: string; 'x-uncertain'?: unknown };
      expect(node?.['x-uncertain'], entry.pointer).toBeDefined();
      for (const statement of entry.statements) expect(node.description!.replace(/\s+/g, ' '), entry.pointer).toContain(statement);
    }
  });

  test('a description that says "uncertain" without the mark, a note without a mark, or a mark without a note is refused', () => {
    const loose = read();
    loose.components.schemas.Cid.description += ' It is uncertain whether reports use it.';
    expect(markProblems(loose, introduction).join('\n')).toMatch(/components\/schemas\/Cid\/description: says "uncertain" without/);

    const noteOnly = read();
    noteOnly.components.schemas.Cid['x-uncertain'] = 'Only the Web SDK reference gives the limit.';
    expect(markProblems(noteOnly, introduction).join('\n')).toMatch(/Cid .*0 "Uncertain:" mark\(s\) .* but 1 x-uncertain/);

    const markOnly = read();
    delete markOnly.components.schemas.ActionAttributes['x-uncertain'];
    expect(markProblems(markOnly, introduction).join('\n')).toMatch(/ActionAttributes .*1 "Uncertain:" mark\(s\) .* but 0 x-uncertain/);

    expect(markProblems(contract, `${introduction}\nThis is uncertain.\n`).join('\n')).toMatch(/introduction\.md: 1 "uncertain"/);
  });
});

describe('the Uncertainties page of the built docs', () => {
  let page = '';
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/docs.mjs'], { cwd: root, stdio: 'pipe' });
    page = readFileSync(new URL('../../dist/docs/index.html', import.meta.url), 'utf8');
  }, 180_000);

  test('is the list generated from the marks, every entry and nothing else', () => {
    const entries = uncertaintiesMarkdown(contract, introduction)
      .split('\n')
      .filter((line) => line.startsWith('- '));
    const marks = introductionUncertainties(introduction).length + contractUncertainties(contract).reduce((n, e) => n + e.statements.length, 0);
    expect(entries.length).toBe(marks);
    // The page is prerendered: the section's list items are in the HTML. Markup differs between the
    // markdown and the rendered text, so both are compared as their letters and digits.
    const start = page.indexOf('data-section-id="/section/uncertainties"');
    expect(start, 'the Uncertainties section on the page').toBeGreaterThan(-1);
    // Up to the next section that is not one of its own subsections.
    const after = /data-section-id="\/(?!section\/uncertainties)/g;
    after.lastIndex = start + 1;
    const end = after.exec(page)?.index;
    const section = page.slice(start, end);
    const items = [...section.matchAll(/<li[^>]*>([\s\S]*?)<\/li>/g)].map((m) => m[1]!);
    const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '');
    const rendered = (html: string) => squash(html.replace(/<[^>]+>/g, '').replace(/&(lt|gt|amp|quot|#x27);/g, ' '));
    expect(items.length, 'entries on the page').toBe(entries.length);
    const shown = items.map(rendered);
    for (const entry of entries) expect(shown, entry).toContain(squash(entry));
  });
});
