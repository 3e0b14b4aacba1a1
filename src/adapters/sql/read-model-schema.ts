/**
 * The read model's tables in Forge SQL, as `migrationRunner` migrations: each runs once per installation, in order,
 * and is never edited once shipped (a change is a new migration). TiDB takes no foreign keys and compares text
 * case-sensitively (utf8mb4_bin), which is what keys and ids want.
 *
 * `project_projection`: one row per registry project (src/app/projection.ts). The scalar columns are what rows are
 * chosen, ordered and permission-filtered by; `facts` is the verified JSON the reader judges the row on again;
 * `problem` says why a record was left out, when a document was damaged; `health` is the `tollgate-health` document
 * last written to Jira, which the daily run compares today's verdict with (src/app/rejudge-use-case.ts); `entry` is
 * what the portfolio's counts, KPIs, exceptions, heat map and table read of the row, so a view never judges facts.
 * @see https://developer.atlassian.com/platform/forge/storage-reference/sql-migration-guide/
 */
export const READ_MODEL_MIGRATIONS: ReadonlyArray<{ readonly name: string; readonly statement: string }> = [
  {
    name: 'v001_project_projection',
    statement: `CREATE TABLE IF NOT EXISTS project_projection (
  issue_id VARCHAR(20) NOT NULL,
  issue_key VARCHAR(64) NOT NULL,
  key_prefix VARCHAR(64) NOT NULL,
  key_number INT NOT NULL,
  jira_project_id VARCHAR(20) NOT NULL,
  security_level_id VARCHAR(20) NULL,
  owner_name VARCHAR(255) NULL,
  integrity VARCHAR(12) NOT NULL,
  rag VARCHAR(8) NOT NULL,
  severity INT NOT NULL,
  risk_max INT NOT NULL,
  mandatory_open INT NOT NULL,
  waits_on TEXT NOT NULL,
  facts MEDIUMTEXT NOT NULL,
  judged_on DATE NOT NULL,
  written_at VARCHAR(30) NOT NULL,
  PRIMARY KEY (issue_id),
  KEY by_key (issue_key),
  KEY by_severity (jira_project_id, severity, key_prefix, key_number),
  KEY by_risk (jira_project_id, risk_max, key_prefix, key_number),
  KEY by_mandatory (jira_project_id, mandatory_open, key_prefix, key_number)
)`,
  },
  {
    // Why a row's record is left out (a damaged document's own words), for the portfolio to say per row.
    name: 'v002_projection_problem',
    // IF NOT EXISTS (TiDB and MariaDB take it): two invocations may find the column missing at once and both migrate.
    statement: 'ALTER TABLE project_projection ADD COLUMN IF NOT EXISTS problem TEXT NULL',
  },
  {
    // The health document as written to Jira; NULL in rows written before it was kept (the next full read fills it).
    name: 'v003_projection_health',
    statement: 'ALTER TABLE project_projection ADD COLUMN IF NOT EXISTS health TEXT NULL',
  },
  {
    // What the portfolio's figures read of the row (PortfolioEntry); NULL in rows written before it was kept, which a
    // reader judges from their facts until the next write fills it.
    name: 'v004_projection_entry',
    statement: 'ALTER TABLE project_projection ADD COLUMN IF NOT EXISTS entry MEDIUMTEXT NULL',
  },
];
