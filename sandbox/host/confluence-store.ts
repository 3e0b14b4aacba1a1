/**
 * Confluence pages for the steering-committee documents: just enough of Confluence to host Tollgate's macros: a
 * page is a title and a list of blocks (paragraphs, headings and macro instances with their saved config).
 */
import type Database from 'better-sqlite3';

export type PageBlock =
  | { readonly type: 'heading'; readonly text: string }
  | { readonly type: 'paragraph'; readonly text: string }
  | {
      readonly type: 'macro';
      readonly moduleKey: string;
      readonly localId: string;
      readonly config: Readonly<Record<string, unknown>> | null;
    };

export interface ConfluencePage {
  readonly id: string;
  readonly spaceKey: string;
  readonly title: string;
  readonly blocks: readonly PageBlock[];
  readonly version: number;
}

/** Pages in the sandbox database (table `confluence_pages`). */
export class ConfluenceStore {
  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS confluence_pages (
      id TEXT PRIMARY KEY, space_key TEXT NOT NULL, title TEXT NOT NULL, blocks TEXT NOT NULL, version INTEGER NOT NULL
    )`);
  }

  /** Creates or replaces a page (seeding). */
  put(page: Omit<ConfluencePage, 'version'>): void {
    this.db
      .prepare(
        `INSERT INTO confluence_pages (id, space_key, title, blocks, version) VALUES (?, ?, ?, ?, 1)
         ON CONFLICT(id) DO UPDATE SET space_key = excluded.space_key, title = excluded.title, blocks = excluded.blocks, version = version + 1`,
      )
      .run(page.id, page.spaceKey, page.title, JSON.stringify(page.blocks));
  }

  get(id: string): ConfluencePage | undefined {
    const row = this.db
      .prepare('SELECT id, space_key, title, blocks, version FROM confluence_pages WHERE id = ?')
      .get(id) as { id: string; space_key: string; title: string; blocks: string; version: number } | undefined;
    return (
      row && {
        id: row.id,
        spaceKey: row.space_key,
        title: row.title,
        blocks: JSON.parse(row.blocks) as PageBlock[],
        version: row.version,
      }
    );
  }

  list(): ConfluencePage[] {
    const ids = this.db.prepare('SELECT id FROM confluence_pages ORDER BY space_key, title').all() as Array<{
      id: string;
    }>;
    return ids.flatMap(({ id }) => this.get(id) ?? []);
  }

  /** Saves a macro's config, as Confluence does when a config dialog submits; a new page version. */
  saveMacroConfig(pageId: string, localId: string, config: Readonly<Record<string, unknown>>): boolean {
    const page = this.get(pageId);
    if (!page || !page.blocks.some((b) => b.type === 'macro' && b.localId === localId)) return false;
    const blocks = page.blocks.map((b) => (b.type === 'macro' && b.localId === localId ? { ...b, config } : b));
    this.db
      .prepare('UPDATE confluence_pages SET blocks = ?, version = version + 1 WHERE id = ?')
      .run(JSON.stringify(blocks), pageId);
    return true;
  }
}
