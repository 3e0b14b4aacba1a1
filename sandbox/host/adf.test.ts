/**
 * The export view's ADF boundary: what an app's adfExport returns is checked against Atlassian's schema before it is
 * printed, and mentions print the person's name as Confluence does.
 */
import { adfProblems, adfToHtml } from './adf';
import { toString } from './html';

const table = {
  type: 'table',
  attrs: { isNumberColumnEnabled: false, layout: 'default' },
  content: [
    {
      type: 'tableRow',
      content: [
        {
          type: 'tableHeader',
          attrs: {},
          content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Owner' }] }],
        },
      ],
    },
    {
      type: 'tableRow',
      content: [
        {
          type: 'tableCell',
          attrs: {},
          content: [{ type: 'paragraph', content: [{ type: 'mention', attrs: { id: 'acc-1' } }] }],
        },
      ],
    },
  ],
};

describe('the export view’s ADF', () => {
  it('accepts a document Atlassian’s schema accepts', () => {
    expect(adfProblems({ type: 'doc', version: 1, content: [table] })).toEqual([]);
  });

  it('names what is wrong with a document the schema refuses', () => {
    expect(adfProblems({ type: 'doc', content: [] }).length).toBeGreaterThan(0);
    expect(adfProblems({ type: 'doc', version: 1, content: [{ type: 'text', text: '' }] }).length).toBeGreaterThan(0);
    expect(adfProblems('a string').length).toBeGreaterThan(0);
  });

  it('prints a mention with the person’s current name, or what the node carried', () => {
    const doc = { type: 'doc', version: 1, content: [table] };
    expect(toString(adfToHtml(doc, { userName: (id) => (id === 'acc-1' ? 'Priya Nair' : undefined) }))).toContain(
      '@Priya Nair',
    );
    const named = {
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [{ type: 'mention', attrs: { id: 'x', text: '@Ola' } }] }],
    };
    expect(toString(adfToHtml(named))).toContain('@Ola');
  });
});
