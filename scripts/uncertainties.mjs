// Every statement the contract does not have a source for carries one mark, in one form, and the docs'
// "Uncertainties" page is generated from those marks (scripts/docs.mjs), so the page and the text can
// never disagree:
//   - in the contract: a `description` containing "Uncertain: <what is not settled>" on an object that
//     also has `x-uncertain` (a string, or a list with one entry per mark) saying what is known;
//   - in openapi/introduction.md: "*Uncertain:* <statement>", in a sentence or a table cell.
// test/contract/uncertainty.test.ts holds both to this form and the built page to the list.

export const MARK = 'Uncertain:';
const INTRO_MARK = '*Uncertain:*';

/** The operation, parameter, schema and member names on the way to a node, for a reader. */
function label(path, root) {
  const parts = [];
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const node = path.slice(0, i + 1).reduce((n, k) => n?.[k], root);
    const parent = path[i - 1];
    if (parent === 'paths') continue;
    if (path[i - 2] === 'paths') parts.push(node?.operationId ?? key);
    else if (parent === 'callbacks') parts.push(`callback ${key}`);
    else if (path[i - 2] === 'callbacks') continue;
    else if (typeof node?.operationId === 'string') parts.push(node.operationId);
    else if (parent === 'parameters') parts.push(`parameter \`${node?.name ?? key}\``);
    else if (parent === 'responses') parts.push(`response ${key}`);
    else if (parent === 'properties') parts.push(`\`${key}\``);
    else if (parent === 'schemas' && path[i - 2] === 'components') parts.push(key);
    else if (parent === 'examples' && path[i - 2] === 'components') parts.push(`example ${key}`);
    else if (parent === 'securitySchemes') parts.push(`security scheme ${key}`);
    else if (key === 'info') parts.push('info');
  }
  return parts.join(' › ') || '(root)';
}

/** The text after each mark, up to the end of its sentence. */
export function statementsIn(text, mark = MARK) {
  const found = [];
  let at = text.indexOf(mark);
  while (at !== -1) {
    const rest = text
      .slice(at + mark.length)
      .replace(/\s+/g, ' ')
      .trim();
    const end = rest.search(/\.(\s|$)|\s\|/);
    found.push((end === -1 ? rest : rest.slice(0, end + (rest[end] === '.' ? 1 : 0))).trim());
    at = text.indexOf(mark, at + mark.length);
  }
  return found;
}

/** Every marked node of the bundled contract: { where, pointer, statements, known }. The introduction
 *  (info.description) is left to introductionUncertainties. */
export function contractUncertainties(contract) {
  const found = [];
  const visit = (node, path) => {
    if (Array.isArray(node)) {
      for (const [i, child] of node.entries()) visit(child, [...path, i]);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const isIntroduction = path.length === 1 && path[0] === 'info';
    const description = typeof node.description === 'string' && !isIntroduction ? node.description : '';
    const known = node['x-uncertain'] === undefined ? [] : [node['x-uncertain']].flat();
    if (description.includes(MARK) || known.length > 0) {
      found.push({
        where: label(path, contract),
        pointer: `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`,
        statements: statementsIn(description),
        known,
      });
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'x-uncertain') visit(child, [...path, key]);
  };
  visit(contract, []);
  return found;
}

/** Every "*Uncertain:*" statement of the introduction, with the heading it stands under. */
export function introductionUncertainties(markdown) {
  const found = [];
  let heading = '';
  for (const paragraph of markdown.split(/\n(?=#)|\n\s*\n/)) {
    const title = /^#{1,3} (.+)$/.exec(paragraph.trimStart().split('\n')[0]);
    if (title) heading = title[1];
    // Table rows are statements of their own: the mark runs to the end of its cell.
    const pieces = paragraph.includes('\n|') || paragraph.startsWith('|') ? paragraph.split('\n') : [paragraph];
    for (const piece of pieces) for (const statement of statementsIn(piece, INTRO_MARK)) found.push({ where: heading, statement });
  }
  return found;
}

/** What breaks the one form: a description that says "uncertain" without the mark and its note, or a
 *  note without a mark (or the other way round). Empty when every mark is in order. */
export function markProblems(contract, introduction) {
  const problems = [];
  const stray = /\buncertain\b/gi;
  for (const entry of contractUncertainties(contract)) {
    if (entry.statements.length !== entry.known.length) {
      problems.push(
        `${entry.where} (${entry.pointer}): ${entry.statements.length} "${MARK}" mark(s) in its description but ${entry.known.length} x-uncertain note(s)`,
      );
    }
    if (entry.known.some((note) => typeof note !== 'string' || note.trim() === '')) {
      problems.push(`${entry.where} (${entry.pointer}): every x-uncertain note is a sentence saying what is known`);
    }
  }
  const visit = (node, path) => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      if (typeof child === 'string' && !(path.length === 1 && path[0] === 'info' && key === 'description')) {
        const loose = (child.match(stray) ?? []).length - (child.split(MARK).length - 1);
        if (loose > 0) problems.push(`${[...path, key].join('/')}: says "uncertain" without the "${MARK}" mark: ${child.slice(0, 80)}`);
      } else visit(child, [...path, key]);
    }
  };
  visit(contract, []);
  const looseInIntroduction = (introduction.match(stray) ?? []).length - (introduction.split(INTRO_MARK).length - 1);
  if (looseInIntroduction > 0) problems.push(`openapi/introduction.md: ${looseInIntroduction} "uncertain" without the "${INTRO_MARK}" mark`);
  return problems;
}

/** The docs page: one list of everything marked, generated, never written by hand. */
export function uncertaintiesMarkdown(contract, introduction) {
  const inContract = contractUncertainties(contract);
  const inIntroduction = introductionUncertainties(introduction);
  const count = inIntroduction.length + inContract.reduce((n, e) => n + e.statements.length, 0);
  const lines = [
    '# Uncertainties',
    '',
    `Every statement of this reference that its sources do not settle, ${count} in all, listed from the`,
    'marks in the text when the docs are built. Each says what is not settled and what is known. Code',
    'that depends on one of them should check it against the live service.',
    '',
    '## In the introduction',
    '',
    ...inIntroduction.map((e) => `- **${e.where}:** ${e.statement}`),
    '',
    '## In the operations and schemas',
    '',
  ];
  for (const entry of inContract) {
    entry.statements.forEach((statement, i) => {
      lines.push(`- **${entry.where}:** ${statement} *Known:* ${String(entry.known[i] ?? '').trim()}`);
    });
  }
  return `${lines.join('\n')}\n`;
}
