/**
 * Forge SQL's query policy, checked before a query reaches the database, as Forge checks it before TiDB sees it.
 *
 * Sources: developer.atlassian.com/platform/forge/storage-reference/sql-query-policy/ (restricted statements and
 * patterns, all answered `SQL_POLICY_VIOLATION` with a `suggestion`; "Each call to the Forge SQL API must contain only
 * one statement"; only `SET @var=...`; only `SHOW TABLES|COLUMNS|INDEXES|KEYS`; no SQL-level `PREPARE`/`EXECUTE`/
 * `DEALLOCATE`; no `USE`; no cross-installation schema names, `INFORMATION_SCHEMA` and `MYSQL` allowed; the optimizer
 * hints it permits), limits-sql/ ("Foreign keys are not supported"), sql-handling-errors/ (the
 * `{code, message, suggestion}` shape; empty or unparsable queries are `SQL_EXECUTION_ERROR` with a `debug` that
 * mirrors TiDB's `ER_PARSE_ERROR`).
 *
 * Where the policy page names a term only as a trigger for an audit that "may" reject (SLEEP, BENCHMARK, ALTER USER,
 * LOCK TABLES), we reject outright: a query that only sometimes passes on Forge must not always pass here. We also
 * reject what the page does not list but a shared, stateless HTTP API cannot honour or would never grant an app:
 * transactions (each request is its own autocommit statement; a `BEGIN` would leave a pooled connection inside a
 * transaction), user and privilege statements, server administration, file access (`LOAD DATA`, `INTO OUTFILE`,
 * `LOAD_FILE`) and named locks (`GET_LOCK` and friends). Statement kinds are an allow-list: anything not known to be
 * an app's DML, DDL or read is refused.
 *
 * This is a lexer, not a parser: comments, strings and quoted identifiers are skipped (MySQL's executable comments
 * `/*! … *\/` are read as code, since the server runs them), and rules look at the remaining words. Syntax errors are
 * left to the engine.
 */

/** What a query does, which decides the endpoint it may use and the limits it meets. */
export type StatementKind = 'read' | 'dml' | 'ddl' | 'variable';

/** A refusal in Forge's error shape; `status` is the HTTP status the sandbox answers with. */
export interface PolicyRefusal {
  readonly status: number;
  readonly code: 'SQL_POLICY_VIOLATION' | 'SQL_EXECUTION_ERROR';
  readonly message: string;
  readonly suggestion: string;
  readonly debug?: Readonly<Record<string, unknown>>;
}

export type PolicyVerdict =
  | { readonly ok: true; readonly kind: StatementKind; readonly createsTable: boolean }
  | { readonly ok: false; readonly refusal: PolicyRefusal };

/** The SDK's two endpoints (node_modules/@forge/sql/out/sql.js `SQL_API_ENDPOINTS`). */
export type SqlEndpoint = 'execute' | 'ddl';

interface Token {
  readonly kind: 'word' | 'ident' | 'punct' | 'hint';
  /** Upper-cased for words; the raw text for identifiers and punctuation; the hint body for hints. */
  readonly text: string;
}

const HTTP_BAD_REQUEST = 400;

/** The optimizer hints the policy permits (sql-query-policy, "Optimizer hints"). */
const PERMITTED_HINTS = new Set([
  'USE_INDEX',
  'IGNORE_INDEX',
  'FORCE_INDEX',
  'ORDER_INDEX',
  'NO_ORDER_INDEX',
  'HASH_JOIN',
  'MERGE_JOIN',
  'INL_JOIN',
  'INL_HASH_JOIN',
  'INL_MERGE_JOIN',
  'BKA',
  'NO_BKA',
  'BNL',
  'NO_BNL',
]);

/** The `SHOW` statements the policy permits, by the word after `SHOW` (or after `SHOW FULL`/`SHOW EXTENDED`). */
const PERMITTED_SHOW = new Set(['TABLES', 'COLUMNS', 'FIELDS', 'INDEX', 'INDEXES', 'KEYS']);

/** Functions refused wherever they appear: waits, CPU burners, named locks, server file reads. */
const REFUSED_FUNCTIONS: Readonly<Record<string, string>> = {
  SLEEP: 'SLEEP() is restricted by the Forge SQL query policy',
  BENCHMARK: 'BENCHMARK() is restricted by the Forge SQL query policy',
  GET_LOCK: 'Named locks (GET_LOCK) are not available to Forge apps',
  RELEASE_LOCK: 'Named locks (RELEASE_LOCK) are not available to Forge apps',
  RELEASE_ALL_LOCKS: 'Named locks (RELEASE_ALL_LOCKS) are not available to Forge apps',
  IS_FREE_LOCK: 'Named locks (IS_FREE_LOCK) are not available to Forge apps',
  IS_USED_LOCK: 'Named locks (IS_USED_LOCK) are not available to Forge apps',
  LOAD_FILE: 'LOAD_FILE() reads files on the database server, which Forge apps cannot do',
  MASTER_POS_WAIT: 'MASTER_POS_WAIT() is not available to Forge apps',
};

/** Leading words of statements refused outright, with why. */
const REFUSED_STATEMENTS: Readonly<Record<string, string>> = {
  BEGIN: 'Transactions are not supported: each Forge SQL request runs as one autocommitted statement',
  START: 'Transactions are not supported: each Forge SQL request runs as one autocommitted statement',
  COMMIT: 'Transactions are not supported: each Forge SQL request runs as one autocommitted statement',
  ROLLBACK: 'Transactions are not supported: each Forge SQL request runs as one autocommitted statement',
  SAVEPOINT: 'Transactions are not supported: each Forge SQL request runs as one autocommitted statement',
  RELEASE: 'Transactions are not supported: each Forge SQL request runs as one autocommitted statement',
  XA: 'Transactions are not supported: each Forge SQL request runs as one autocommitted statement',
  LOCK: 'LOCK TABLES is restricted by the Forge SQL query policy',
  UNLOCK: 'LOCK TABLES is restricted by the Forge SQL query policy',
  PREPARE: 'SQL-level PREPARE statements are not permitted',
  EXECUTE: 'SQL-level EXECUTE statements are not permitted',
  DEALLOCATE: 'SQL-level DEALLOCATE PREPARE statements are not permitted',
  USE: 'USE statements are not permitted; queries are scoped to the installation’s schema',
  GRANT: 'User and privilege statements are not permitted',
  REVOKE: 'User and privilege statements are not permitted',
  LOAD: 'LOAD DATA reads files on the database server, which Forge apps cannot do',
};

/** Objects an app may create, alter or drop: its own tables, indexes and views. */
const SCHEMA_OBJECTS = new Set(['TABLE', 'TEMPORARY', 'INDEX', 'UNIQUE', 'FULLTEXT', 'SPATIAL', 'VIEW']);
const CREATE_MODIFIERS = new Set(['OR', 'REPLACE', 'ALGORITHM', 'DEFINER', 'SQL', 'SECURITY', 'ONLINE', 'OFFLINE']);

/** Schemas any query may name (sql-query-policy, "Fully qualified cross-installation table names"). */
const SHARED_SCHEMAS = new Set(['information_schema', 'mysql']);
/** System schemas of the engine that Forge's TiDB does not expose to apps. */
const HIDDEN_SCHEMAS = new Set(['performance_schema', 'sys']);

function violation(message: string, suggestion: string): PolicyVerdict {
  return { ok: false, refusal: { status: HTTP_BAD_REQUEST, code: 'SQL_POLICY_VIOLATION', message, suggestion } };
}

/** The `SQL_EXECUTION_ERROR` Forge answers for an empty query (sql-handling-errors, "Parse errors"). */
function emptyQuery(): PolicyVerdict {
  return {
    ok: false,
    refusal: {
      status: HTTP_BAD_REQUEST,
      code: 'SQL_EXECUTION_ERROR',
      message: 'Unknown SQL execution error',
      suggestion: 'Send one SQL statement; the query was empty.',
      debug: { code: 'ER_PARSE_ERROR', errno: 1064, sqlMessage: 'Query was empty', sqlState: '42000' },
    },
  };
}

/** Statements the engine knows that no Forge app may run: server administration, routines, table maintenance. */
const ADMINISTRATIVE = new Set([
  'FLUSH',
  'KILL',
  'SHUTDOWN',
  'INSTALL',
  'UNINSTALL',
  'RESET',
  'PURGE',
  'CHANGE',
  'STOP',
  'HANDLER',
  'DO',
  'CALL',
  'OPTIMIZE',
  'REPAIR',
  'CHECK',
  'CHECKSUM',
  'CACHE',
  'BINLOG',
  'HELP',
  'SIGNAL',
  'RESIGNAL',
  'GET',
  'BACKUP',
  'IMPORT',
]);

/** What Forge answers for a query that does not parse: `SQL_EXECUTION_ERROR` mirroring TiDB's ER_PARSE_ERROR. */
function unparsable(query: string): PolicyVerdict {
  const near = query.trim().slice(0, 80);
  return {
    ok: false,
    refusal: {
      status: HTTP_BAD_REQUEST,
      code: 'SQL_EXECUTION_ERROR',
      message: 'Unknown SQL execution error',
      suggestion: 'Fix the syntax error that debug.sqlMessage describes.',
      debug: {
        code: 'ER_PARSE_ERROR',
        errno: 1064,
        sqlMessage: `You have an error in your SQL syntax; check the manual for the right syntax to use near '${near}' at line 1`,
        sqlState: '42000',
      },
    },
  };
}

/** Skips a quoted run starting at `start` (the quote), honouring doubled quotes and backslash escapes. */
function skipQuoted(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === '\\' && quote !== '`') i += 2;
    else if (ch === quote && sql[i + 1] === quote) i += 2;
    else if (ch === quote) return i + 1;
    else i += 1;
  }
  return sql.length;
}

/** Splits `sql` into the tokens the rules read. */
function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] ?? '';
    const next = sql[i + 1] ?? '';
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === '#' || (ch === '-' && next === '-' && /[\s]|^$/.test(sql[i + 2] ?? ''))) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
    } else if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? sql.length : end;
      const body = sql.slice(i + 2, stop);
      i = end === -1 ? sql.length : end + 2;
      if (body.startsWith('+')) tokens.push({ kind: 'hint', text: body.slice(1) });
      // Executable comments (`/*! … */`, `/*!50100 … */`, MariaDB's `/*M! … */`) run on the server: read them as code.
      else if (/^M?!/.test(body)) tokens.push(...tokenize(body.replace(/^M?!\d*/, '')));
    } else if (ch === "'" || ch === '"') {
      i = skipQuoted(sql, i, ch);
      tokens.push({ kind: 'punct', text: 'literal' });
    } else if (ch === '`') {
      const end = skipQuoted(sql, i, '`');
      tokens.push({ kind: 'ident', text: sql.slice(i + 1, end - 1).replace(/``/g, '`') });
      i = end;
    } else if (/[A-Za-z_$@\u0080-\uffff]/.test(ch)) {
      let end = i + 1;
      while (end < sql.length && /[A-Za-z0-9_$@\u0080-\uffff]/.test(sql[end] ?? '')) end += 1;
      tokens.push({ kind: 'word', text: sql.slice(i, end).toUpperCase() });
      i = end;
    } else if (/[0-9]/.test(ch)) {
      let end = i + 1;
      while (end < sql.length && /[0-9A-Za-z_.]/.test(sql[end] ?? '')) end += 1;
      tokens.push({ kind: 'punct', text: 'number' });
      i = end;
    } else {
      tokens.push({ kind: 'punct', text: ch });
      i += 1;
    }
  }
  return tokens;
}

const isWord = (token: Token | undefined, ...words: string[]): boolean =>
  token?.kind === 'word' && words.includes(token.text);

/** The word a schema qualifier names, as the engine compares it (case-insensitively for schema names). */
function qualifier(token: Token | undefined): string | undefined {
  if (token?.kind === 'ident') return token.text.toLowerCase();
  if (token?.kind === 'word') return token.text.toLowerCase();
  return undefined;
}

function classify(tokens: readonly Token[], query: string): PolicyVerdict {
  let start = 0;
  while (tokens[start]?.text === '(') start += 1;
  const first = tokens[start];
  const second = tokens[start + 1];
  if (!first || first.kind !== 'word') return unparsable(query);
  const word = first.text;
  const refused = REFUSED_STATEMENTS[word];
  if (refused) {
    if (word === 'START' && !isWord(second, 'TRANSACTION')) {
      return violation(`${word} statements are not permitted`, 'Use SELECT, INSERT, UPDATE, DELETE or DDL.');
    }
    return violation(refused, 'Rewrite the query as one statement that Forge SQL permits.');
  }
  if (['SELECT', 'WITH', 'VALUES', 'TABLE', 'DESCRIBE', 'DESC', 'EXPLAIN'].includes(word)) {
    return { ok: true, kind: 'read', createsTable: false };
  }
  if (['INSERT', 'REPLACE', 'UPDATE', 'DELETE'].includes(word)) return { ok: true, kind: 'dml', createsTable: false };
  if (word === 'SHOW') {
    const what = isWord(second, 'FULL', 'EXTENDED') ? tokens[start + 2] : second;
    if (what?.kind === 'word' && PERMITTED_SHOW.has(what.text)) return { ok: true, kind: 'read', createsTable: false };
    return violation(
      `SHOW ${what?.text ?? ''} is not permitted`.trim(),
      'Only SHOW TABLES, SHOW COLUMNS and SHOW INDEXES (or SHOW KEYS) are permitted; query INFORMATION_SCHEMA instead.',
    );
  }
  if (word === 'SET') {
    // Only user-variable assignments: every target is `@name`, never `@@name`, GLOBAL, SESSION or a bare variable.
    const targets = [tokens[start + 1]];
    for (let i = start + 1; i < tokens.length; i += 1) if (tokens[i]?.text === ',') targets.push(tokens[i + 1]);
    if (targets.every((t) => t?.kind === 'word' && /^@[^@]/.test(t.text))) {
      return { ok: true, kind: 'variable', createsTable: false };
    }
    return violation(
      'Only user-variable assignments such as SET @var=... are permitted',
      'Remove the SET statement; session and global settings are managed by Forge SQL.',
    );
  }
  if (['CREATE', 'ALTER', 'DROP'].includes(word)) {
    // Skip `OR REPLACE`, `ALGORITHM = …`, `DEFINER = user@host`, `SQL SECURITY …` to the object being changed.
    let i = start + 1;
    while (
      tokens[i] &&
      ((tokens[i]?.kind === 'word' && CREATE_MODIFIERS.has(tokens[i]?.text ?? '')) ||
        tokens[i]?.text === '=' ||
        tokens[i - 1]?.text === '=' ||
        isWord(tokens[i - 1], 'SECURITY'))
    ) {
      i += 1;
    }
    const object = tokens[i];
    if (object?.kind === 'word' && SCHEMA_OBJECTS.has(object.text)) {
      const createsTable = word === 'CREATE' && (object.text === 'TABLE' || isWord(tokens[i + 1], 'TABLE'));
      return { ok: true, kind: 'ddl', createsTable };
    }
    return violation(
      `${word} ${object?.text ?? ''} is not permitted`.replace(/\s+$/, ''),
      'Forge apps may create, alter and drop their own tables, indexes and views only.',
    );
  }
  if (word === 'RENAME' && isWord(second, 'TABLE')) return { ok: true, kind: 'ddl', createsTable: false };
  if (word === 'TRUNCATE') return { ok: true, kind: 'ddl', createsTable: false };
  if (word === 'ANALYZE' && isWord(second, 'TABLE')) return { ok: true, kind: 'ddl', createsTable: false };
  if (ADMINISTRATIVE.has(word) || word === 'RENAME' || word === 'ANALYZE') {
    return violation(`${word} statements are not permitted`, 'Use SELECT, INSERT, UPDATE, DELETE or DDL.');
  }
  // Not a statement the engine knows: the parse error TiDB would give, without sending it anywhere.
  return unparsable(query);
}

/** Rules that apply wherever the words appear, whatever the statement. */
function anywhere(tokens: readonly Token[], ownSchema: string): PolicyVerdict | null {
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    const next = tokens[i + 1];
    if (!token) continue;
    if (token.kind === 'hint') {
      const names = [...token.text.matchAll(/([A-Za-z_]+)\s*\(/g)].map((m) => (m[1] ?? '').toUpperCase());
      const refused = names.find((name) => !PERMITTED_HINTS.has(name));
      if (refused) {
        return violation(
          `Optimizer hint ${refused} is not permitted`,
          `Use only the permitted optimizer hints (${[...PERMITTED_HINTS].join(', ')}).`,
        );
      }
      continue;
    }
    if (token.kind === 'word') {
      const fn = REFUSED_FUNCTIONS[token.text];
      if (fn && next?.text === '(') return violation(fn, 'Remove the function from the query.');
      if (token.text === 'FOREIGN' && isWord(next, 'KEY')) {
        return violation(
          'Foreign keys are not supported by Forge SQL',
          'Drop the FOREIGN KEY constraint; keep the column and its index, and enforce the relation in the app.',
        );
      }
      if (token.text === 'REFERENCES' && (next?.kind === 'word' || next?.kind === 'ident')) {
        return violation(
          'Foreign keys are not supported by Forge SQL',
          'Drop the REFERENCES clause; keep the column and its index, and enforce the relation in the app.',
        );
      }
      if (token.text === 'INTO' && isWord(next, 'OUTFILE', 'DUMPFILE')) {
        return violation(
          `SELECT ... INTO ${next?.text ?? ''} writes files on the database server, which Forge apps cannot do`,
          'Return the rows to the app instead.',
        );
      }
    }
    if (next?.text === '.' && (token.kind === 'word' || token.kind === 'ident')) {
      const schema = qualifier(token);
      const after = tokens[i + 2];
      // `a.b` is schema.table only when followed by a name; `t.*` and `t.col` look the same, so only schemas known
      // not to be the app's are refused: the engine's own and other installations' (named like ours).
      if (
        schema &&
        (after?.kind === 'word' || after?.kind === 'ident') &&
        !SHARED_SCHEMAS.has(schema) &&
        schema !== ownSchema.toLowerCase() &&
        (HIDDEN_SCHEMAS.has(schema) || /^forge_[0-9a-f_]{8,}$/.test(schema))
      ) {
        return violation(
          `References to objects in another schema (${schema}) are not permitted`,
          'Refer only to tables in your app installation’s own schema, unqualified.',
        );
      }
    }
  }
  return null;
}

/**
 * Checks one query sent to `endpoint`, for the installation whose schema is `ownSchema`.
 * @returns the statement's kind, or Forge's refusal.
 */
export function checkQuery(query: string, endpoint: SqlEndpoint, ownSchema: string): PolicyVerdict {
  const tokens = tokenize(query);
  while (tokens.at(-1)?.text === ';') tokens.pop();
  if (tokens.length === 0) return emptyQuery();
  if (tokens.some((token) => token.text === ';')) {
    return violation(
      'Each call to the Forge SQL API must contain only one statement',
      'Send each statement in its own request.',
    );
  }
  const general = anywhere(tokens, ownSchema);
  if (general) return general;
  const verdict = classify(tokens, query);
  if (!verdict.ok) return verdict;
  // Schema changes go through `sql.executeDDL` / `migrationRunner` (the SDK's /api/v1/execute/ddl), which have their
  // own limits (25 a minute, 20 s each); that endpoint also answers reads, as `migrationRunner.list()` sends its
  // SELECT there. Writes to rows go through `sql.prepare(...).execute()`.
  if (endpoint === 'execute' && verdict.kind === 'ddl') {
    return violation(
      'DDL statements must be sent with sql.executeDDL or migrationRunner',
      'Use sql.executeDDL(ddl), or enqueue the statement with migrationRunner.',
    );
  }
  if (endpoint === 'ddl' && (verdict.kind === 'dml' || verdict.kind === 'variable')) {
    return violation(
      'Only DDL statements and reads may be sent with sql.executeDDL',
      'Use sql.prepare(query).bindParams(...).execute() for INSERT, UPDATE and DELETE.',
    );
  }
  return verdict;
}
