import { type AdfTable, doc, heading, mention, paragraph, ragStatus, status, table, tableCell, text } from './adf';
import { adfProblems } from './testing/adf-validator';

describe('ADF helpers', () => {
  it('build a document Atlassian’s schema accepts: heading, paragraph, table with header and RAG lozenges', () => {
    const document = doc(
      heading(2, 'Portfolio health'),
      paragraph(...text('As of 2026-11-16', 'em')),
      table(
        ['Key', 'Owner', 'Health'],
        [
          [
            tableCell('PMO-1'),
            tableCell(mention('5b10ac8d82e05b22cc7d4ef2', 'Ola Nordmann')),
            tableCell(ragStatus('green')),
          ],
          [tableCell('PMO-2'), tableCell(mention('5b10ac8d82e05b22cc7d4ef3')), tableCell(ragStatus('amber'))],
          [tableCell(''), tableCell(), tableCell(ragStatus('none'))],
        ],
      ),
    );
    expect(adfProblems(document)).toEqual([]);
    expect(document).toMatchObject({ type: 'doc', version: 1 });
    const rows = (document.content[2] as AdfTable).content;
    expect(rows.map((r) => r.content[0]?.type)).toEqual(['tableHeader', 'tableCell', 'tableCell', 'tableCell']);
  });

  it('map RAG onto the lozenge colours ADF has (amber is yellow)', () => {
    expect(ragStatus('green').attrs).toEqual({ text: 'GREEN', color: 'green' });
    expect(ragStatus('amber').attrs).toEqual({ text: 'AMBER', color: 'yellow' });
    expect(ragStatus('red').attrs).toEqual({ text: 'RED', color: 'red' });
    expect(ragStatus('none').attrs).toEqual({ text: 'N/A', color: 'neutral' });
  });

  it('never make the empty text nodes or blank lozenges ADF forbids', () => {
    expect(text('')).toEqual([]);
    expect(paragraph('', 'a', '')).toEqual({ type: 'paragraph', content: [{ type: 'text', text: 'a' }] });
    expect(status('  ', 'neutral').attrs.text).toBe('—');
    expect(adfProblems(doc(paragraph(''), heading(3, 'x')))).toEqual([]);
  });

  it('the validator does catch what ADF forbids', () => {
    expect(
      adfProblems({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }] }),
    ).not.toEqual([]);
    expect(adfProblems({ type: 'doc', version: 1, content: [{ type: 'table', content: [] }] })).not.toEqual([]);
  });
});
