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
  {
    // What the portfolio's figures add up and its table sorts and filters by, one scalar per column, so a view is
    // SQL over columns (sql-portfolio.ts) and never reads the entries of the rows it does not show. NULL in rows
    // written before they were kept (`fig_version` says which entry shape they come from); the next write fills them.
    // The sort_* columns are collation keys (src/domain/collation.ts): byte order is the page's order. cell_LI counts
    // open risks in the residual square of likelihood L and impact I.
    name: 'v005_projection_figures',
    statement: `ALTER TABLE project_projection
  ADD COLUMN IF NOT EXISTS fig_version INT NULL,
  ADD COLUMN IF NOT EXISTS sort_key VARCHAR(512) NULL,
  ADD COLUMN IF NOT EXISTS summary TEXT NULL,
  ADD COLUMN IF NOT EXISTS search_text TEXT NULL,
  ADD COLUMN IF NOT EXISTS sort_summary TEXT NULL,
  ADD COLUMN IF NOT EXISTS owner_id VARCHAR(128) NULL,
  ADD COLUMN IF NOT EXISTS sort_owner VARCHAR(512) NULL,
  ADD COLUMN IF NOT EXISTS department VARCHAR(255) NULL,
  ADD COLUMN IF NOT EXISTS sort_department TEXT NULL,
  ADD COLUMN IF NOT EXISTS stage_id VARCHAR(255) NULL,
  ADD COLUMN IF NOT EXISTS stage_name VARCHAR(255) NULL,
  ADD COLUMN IF NOT EXISTS sort_stage_name TEXT NULL,
  ADD COLUMN IF NOT EXISTS stage_index INT NULL,
  ADD COLUMN IF NOT EXISTS stage_position BIGINT NULL,
  ADD COLUMN IF NOT EXISTS status VARCHAR(16) NULL,
  ADD COLUMN IF NOT EXISTS sort_status VARCHAR(128) NULL,
  ADD COLUMN IF NOT EXISTS closed TINYINT NULL,
  ADD COLUMN IF NOT EXISTS last_decision VARCHAR(16) NULL,
  ADD COLUMN IF NOT EXISTS sort_decision VARCHAR(128) NULL,
  ADD COLUMN IF NOT EXISTS decided_on CHAR(10) NULL,
  ADD COLUMN IF NOT EXISTS sev_schedule INT NULL,
  ADD COLUMN IF NOT EXISTS sev_gate INT NULL,
  ADD COLUMN IF NOT EXISTS sev_risk INT NULL,
  ADD COLUMN IF NOT EXISTS sev_raid INT NULL,
  ADD COLUMN IF NOT EXISTS sev_budget INT NULL,
  ADD COLUMN IF NOT EXISTS sev_tolerance INT NULL,
  ADD COLUMN IF NOT EXISTS sev_staleness INT NULL,
  ADD COLUMN IF NOT EXISTS next_gate_date CHAR(10) NULL,
  ADD COLUMN IF NOT EXISTS due_date CHAR(10) NULL,
  ADD COLUMN IF NOT EXISTS wsjf DOUBLE NULL,
  ADD COLUMN IF NOT EXISTS roi DOUBLE NULL,
  ADD COLUMN IF NOT EXISTS gc_num INT NULL,
  ADD COLUMN IF NOT EXISTS gc_den INT NULL,
  ADD COLUMN IF NOT EXISTS ot_num INT NULL,
  ADD COLUMN IF NOT EXISTS ot_den INT NULL,
  ADD COLUMN IF NOT EXISTS ba_num INT NULL,
  ADD COLUMN IF NOT EXISTS ba_den INT NULL,
  ADD COLUMN IF NOT EXISTS rh_num INT NULL,
  ADD COLUMN IF NOT EXISTS rh_den INT NULL,
  ADD COLUMN IF NOT EXISTS rh_overdue INT NULL,
  ADD COLUMN IF NOT EXISTS exc TINYINT NULL,
  ADD COLUMN IF NOT EXISTS exc_tolerance TINYINT NULL,
  ADD COLUMN IF NOT EXISTS exc_red INT NULL,
  ADD COLUMN IF NOT EXISTS last_noncompliant CHAR(10) NULL,
  ADD COLUMN IF NOT EXISTS cell_11 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_12 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_13 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_14 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_15 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_21 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_22 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_23 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_24 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_25 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_31 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_32 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_33 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_34 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_35 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_41 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_42 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_43 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_44 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_45 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_51 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_52 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_53 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_54 INT NULL,
  ADD COLUMN IF NOT EXISTS cell_55 INT NULL`,
  },
  {
    // The weekly snapshots (sql-snapshots.ts): one row per project and week, with the Jira project and issue it was
    // in that week, so a reader's share of a week is counted by the Jira projects they may browse. `jump_from` is the
    // week of the project's previous snapshot when it was green there and is red in this one ("status inflation").
    name: 'v006_weekly_snapshot',
    statement: `CREATE TABLE IF NOT EXISTS weekly_snapshot (
  week DATE NOT NULL,
  issue_id VARCHAR(20) NOT NULL,
  issue_key VARCHAR(64) NOT NULL,
  jira_project_id VARCHAR(20) NOT NULL,
  sort_key VARCHAR(512) NOT NULL,
  rag VARCHAR(8) NOT NULL,
  severity INT NOT NULL,
  band VARCHAR(10) NULL,
  jump_from DATE NULL,
  PRIMARY KEY (week, issue_id),
  KEY by_issue (issue_id, week),
  KEY by_rank (week, severity, sort_key),
  KEY by_jump (jump_from)
)`,
  },
  {
    // A week's snapshot is read only once all of it is written: its row here is written last and removed first.
    name: 'v007_snapshot_week',
    statement: `CREATE TABLE IF NOT EXISTS snapshot_week (
  week DATE NOT NULL,
  projects INT NOT NULL,
  PRIMARY KEY (week)
)`,
  },
  {
    // Each week's projects by Jira project and RAG: the trend adds up a reader's Jira projects, a few rows a week.
    name: 'v008_snapshot_count',
    statement: `CREATE TABLE IF NOT EXISTS snapshot_count (
  week DATE NOT NULL,
  jira_project_id VARCHAR(20) NOT NULL,
  rag VARCHAR(8) NOT NULL,
  n INT NOT NULL,
  PRIMARY KEY (week, jira_project_id, rag)
)`,
  },
  {
    // Every recorded gate decision of every row (sql-decisions.ts), so the decision log reads the latest few of a
    // reader's scope instead of every row's facts. Written with the row; the template is named for the gate's name.
    name: 'v009_gate_decision',
    statement: `CREATE TABLE IF NOT EXISTS gate_decision (
  issue_id VARCHAR(20) NOT NULL,
  decision_id VARCHAR(8) NOT NULL,
  decided_at VARCHAR(30) NOT NULL,
  decided_on DATE NOT NULL,
  template_id VARCHAR(255) NULL,
  template_version INT NULL,
  decision MEDIUMTEXT NOT NULL,
  PRIMARY KEY (issue_id, decision_id),
  KEY by_time (decided_at)
)`,
  },
  {
    // 1 in rows whose decisions are in gate_decision; NULL in rows written before it existed (the next write fills it).
    name: 'v010_projection_decisions_kept',
    statement: 'ALTER TABLE project_projection ADD COLUMN IF NOT EXISTS decisions_kept TINYINT NULL',
  },
];
