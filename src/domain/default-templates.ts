/**
 * The templates Tollgate ships with. Cooper's Stage-Gate for product and innovation work, and a lighter
 * PRINCE2-style lifecycle for delivery projects (docs/pmo-rules.md §1, §2). A PMO clones and edits them in the admin
 * page; these stay as version 1 so projects started on them keep working. Each stage names the Jira status of the
 * registry workflow Tollgate suggests (and the sandbox builds), so the validator can tell which gate a transition
 * passes; naming statuses changes no rule a project started under.
 */
import { type StageGateTemplate, type StageGateTemplateInput, templateSchema } from './templates';

const cooper: StageGateTemplateInput = {
  id: 'cooper-stage-gate',
  version: 1,
  name: 'Stage-Gate (Cooper)',
  description: 'Discovery to launch in five gates; investment rises as uncertainty falls.',
  passThreshold: 0.6,
  scoreMax: 10,
  stages: [
    {
      id: 'discovery',
      name: 'Discovery',
      jiraStatuses: ['Discovery'],
      exitGate: {
        id: 'g1-idea-screen',
        name: 'Gate 1: Idea Screen',
        deciders: ['pmo'],
        criteria: [
          { id: 'strategic-fit', title: 'Fits the portfolio strategy', kind: 'must' },
          { id: 'feasible', title: 'Technically feasible at first look', kind: 'must' },
          { id: 'no-showstopper', title: 'No legal, ethical or safety show-stopper', kind: 'must' },
          { id: 'market-attractiveness', title: 'Market attractiveness', kind: 'should', weight: 2 },
          { id: 'synergies', title: 'Leverages our core competencies', kind: 'should', weight: 1 },
        ],
      },
    },
    {
      id: 'scoping',
      name: 'Scoping',
      jiraStatuses: ['Scoping'],
      exitGate: {
        id: 'g2-second-screen',
        name: 'Gate 2: Second Screen',
        deciders: ['pmo', 'sponsor'],
        criteria: [
          {
            id: 'market-assessment',
            title: 'Preliminary market assessment done',
            kind: 'must',
            evidence: 'Market scan page',
            evidenceRequired: true,
          },
          { id: 'technical-assessment', title: 'Preliminary technical assessment done', kind: 'must' },
          { id: 'sponsor-named', title: 'Sponsor named and committed', kind: 'must' },
          { id: 'strategic-importance', title: 'Strategic importance', kind: 'should', weight: 2 },
          { id: 'competitive-advantage', title: 'Product / competitive advantage', kind: 'should', weight: 2 },
          { id: 'reward-vs-risk', title: 'Reward versus risk', kind: 'should', weight: 1 },
        ],
      },
    },
    {
      id: 'business-case',
      name: 'Build Business Case',
      jiraStatuses: ['Business Case'],
      exitGate: {
        id: 'g3-go-to-development',
        name: 'Gate 3: Go to Development',
        deciders: ['steering-committee', 'pmo'],
        criteria: [
          {
            id: 'business-case',
            title: 'Business case approved by finance',
            kind: 'must',
            evidence: 'Business case page, signed version',
            evidenceRequired: true,
          },
          { id: 'scope-defined', title: 'Product definition and scope agreed', kind: 'must' },
          {
            id: 'project-plan',
            title: 'Development plan with milestones and budget',
            kind: 'must',
            evidenceRequired: true,
          },
          { id: 'risk-register', title: 'Risk register reviewed; no unowned extreme risk', kind: 'must' },
          { id: 'resources', title: 'Resources confirmed by line managers', kind: 'must' },
          { id: 'npv', title: 'Financial return (NPV / payback)', kind: 'should', weight: 3 },
          { id: 'market-attractiveness', title: 'Market attractiveness', kind: 'should', weight: 2 },
          { id: 'technical-feasibility', title: 'Technical feasibility', kind: 'should', weight: 2 },
        ],
      },
    },
    {
      id: 'development',
      name: 'Development',
      jiraStatuses: ['Development'],
      exitGate: {
        id: 'g4-go-to-testing',
        name: 'Gate 4: Go to Testing',
        deciders: ['pmo'],
        criteria: [
          { id: 'prototype', title: 'Working product meets the agreed definition', kind: 'must' },
          { id: 'test-plan', title: 'Test and validation plan agreed', kind: 'must', evidenceRequired: true },
          { id: 'business-case-refresh', title: 'Business case refreshed with actuals', kind: 'must' },
          { id: 'customer-feedback', title: 'Customer feedback on prototype', kind: 'should', weight: 2 },
          { id: 'cost-on-plan', title: 'Spend in line with plan', kind: 'should', weight: 1 },
        ],
      },
    },
    {
      id: 'testing',
      name: 'Testing & Validation',
      jiraStatuses: ['Testing'],
      exitGate: {
        id: 'g5-go-to-launch',
        name: 'Gate 5: Go to Launch',
        deciders: ['steering-committee', 'pmo'],
        criteria: [
          { id: 'acceptance', title: 'Acceptance tests passed', kind: 'must', evidenceRequired: true },
          { id: 'launch-plan', title: 'Launch and operations plan approved', kind: 'must' },
          { id: 'support-ready', title: 'Support and operations ready to take over', kind: 'must' },
          { id: 'market-validation', title: 'Field trial / market validation results', kind: 'should', weight: 2 },
          { id: 'financials', title: 'Financials still attractive', kind: 'should', weight: 2 },
        ],
      },
    },
    { id: 'launch', name: 'Launch & Post-Launch Review', jiraStatuses: ['Launch'] },
  ],
};

const prince2: StageGateTemplateInput = {
  id: 'prince2-lite',
  version: 1,
  name: 'PRINCE2 (lite)',
  description: 'Start up, initiate, deliver, close: the Project Board authorises each step.',
  passThreshold: 0.6,
  scoreMax: 10,
  stages: [
    {
      id: 'starting-up',
      name: 'Starting up',
      jiraStatuses: ['Starting Up'],
      exitGate: {
        id: 'authorise-initiation',
        name: 'Authorise initiation',
        deciders: ['project-board', 'pmo'],
        criteria: [
          {
            id: 'project-brief',
            title: 'Project brief with outline business case',
            kind: 'must',
            evidenceRequired: true,
          },
          { id: 'executive-appointed', title: 'Executive and project manager appointed', kind: 'must' },
          { id: 'lessons-reviewed', title: 'Lessons from earlier projects reviewed', kind: 'should', weight: 1 },
        ],
      },
    },
    {
      id: 'initiating',
      name: 'Initiating',
      jiraStatuses: ['Initiating'],
      exitGate: {
        id: 'authorise-project',
        name: 'Authorise the project',
        deciders: ['project-board', 'pmo'],
        criteria: [
          { id: 'pid', title: 'Project initiation documentation approved', kind: 'must', evidenceRequired: true },
          {
            id: 'tolerances-set',
            title: 'Project and stage tolerances set (time, cost, scope, quality, benefits, risk)',
            kind: 'must',
          },
          { id: 'business-case', title: 'Detailed business case justifies the investment', kind: 'must' },
          { id: 'risk-approach', title: 'Risk management approach agreed', kind: 'should', weight: 2 },
          { id: 'quality-approach', title: 'Quality management approach agreed', kind: 'should', weight: 1 },
        ],
      },
    },
    {
      id: 'delivery',
      name: 'Delivery stages',
      jiraStatuses: ['Delivery'],
      exitGate: {
        id: 'authorise-closure',
        name: 'Authorise closure',
        deciders: ['project-board', 'pmo'],
        criteria: [
          {
            id: 'products-accepted',
            title: 'All products accepted by the customer',
            kind: 'must',
            evidenceRequired: true,
          },
          { id: 'handover', title: 'Operations and maintenance handover done', kind: 'must' },
          { id: 'end-project-report', title: 'End project report reviewed', kind: 'must' },
          { id: 'benefits-plan', title: 'Benefits review plan agreed', kind: 'should', weight: 2 },
          { id: 'lessons-report', title: 'Lessons report written', kind: 'should', weight: 1 },
        ],
      },
    },
    { id: 'closed', name: 'Closed (benefits review)', jiraStatuses: ['Closing'] },
  ],
};

/** The shipped templates, parsed (so their defaults are filled and their structure is checked at load). */
export const DEFAULT_TEMPLATES: readonly StageGateTemplate[] = [
  templateSchema.parse(cooper),
  templateSchema.parse(prince2),
];

/** The template a new project gets when the PMO has not chosen another. */
export const DEFAULT_TEMPLATE_ID = 'cooper-stage-gate';
