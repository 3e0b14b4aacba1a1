// Forge handlers, by kind. Nothing else lives here: the manifest names these exports (docs/conventions.md rule 1).

// resolvers
export { default as adminResolver } from './resolvers/admin-resolvers';
export { default as issuePanelResolver } from './resolvers/issue-panel-resolvers';
export { default as macroResolver, macroAdfExport } from './resolvers/macro-resolvers';
export { default as portfolioResolver } from './resolvers/portfolio-resolvers';

// triggers
export { onIssueEvent } from './triggers/issue-events';
export { dailyRecompute, onLifecycleEvent, weekly } from './triggers/scheduled';

// consumers
export { recomputeConsumer } from './triggers/recompute-consumer';

// validators
export { gateValidator } from './validators/gate-validator';
