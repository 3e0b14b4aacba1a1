/**
 * The templates Tollgate ships with. Cooper's Stage-Gate for product and innovation work, and a lighter
 * PRINCE2-style lifecycle for delivery projects (docs/pmo-rules.md §1, §2). A PMO clones and edits them in the admin
 * page; these stay as version 1 so projects started on them keep working. They ship in English, Norwegian Bokmål and
 * Swedish (`translations`, shown by template-words.ts); a translation changes no rule, so it needs no new version. Each stage names the Jira status of the
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
  translations: {
    'nb-NO': {
      description: 'Fra idé til lansering gjennom fem porter; investeringen øker etter hvert som usikkerheten faller.',
      stages: {
        discovery: 'Utforsking',
        scoping: 'Avgrensning',
        'business-case': 'Utarbeide forretningscase',
        development: 'Utvikling',
        testing: 'Test og validering',
        launch: 'Lansering og etterevaluering',
      },
      gates: {
        'g1-idea-screen': 'Port 1: Idéscreening',
        'g2-second-screen': 'Port 2: Andre screening',
        'g3-go-to-development': 'Port 3: Klar for utvikling',
        'g4-go-to-testing': 'Port 4: Klar for test',
        'g5-go-to-launch': 'Port 5: Klar for lansering',
      },
      criteria: {
        'g1-idea-screen/strategic-fit': 'Passer med porteføljestrategien',
        'g1-idea-screen/feasible': 'Teknisk gjennomførbart ved første øyekast',
        'g1-idea-screen/no-showstopper': 'Ingen juridiske, etiske eller sikkerhetsmessige stoppere',
        'g1-idea-screen/market-attractiveness': 'Markedets attraktivitet',
        'g1-idea-screen/synergies': 'Bygger på våre kjernekompetanser',
        'g2-second-screen/market-assessment': 'Foreløpig markedsvurdering gjort',
        'g2-second-screen/technical-assessment': 'Foreløpig teknisk vurdering gjort',
        'g2-second-screen/sponsor-named': 'Sponsor utpekt og forpliktet',
        'g2-second-screen/strategic-importance': 'Strategisk betydning',
        'g2-second-screen/competitive-advantage': 'Produkt- og konkurransefortrinn',
        'g2-second-screen/reward-vs-risk': 'Gevinst mot risiko',
        'g3-go-to-development/business-case': 'Forretningscase godkjent av økonomi',
        'g3-go-to-development/scope-defined': 'Produktdefinisjon og omfang avtalt',
        'g3-go-to-development/project-plan': 'Utviklingsplan med milepæler og budsjett',
        'g3-go-to-development/risk-register': 'Risikoregisteret gjennomgått; ingen ekstrem risiko uten eier',
        'g3-go-to-development/resources': 'Ressurser bekreftet av linjeledere',
        'g3-go-to-development/npv': 'Økonomisk avkastning (NNV / tilbakebetalingstid)',
        'g3-go-to-development/market-attractiveness': 'Markedets attraktivitet',
        'g3-go-to-development/technical-feasibility': 'Teknisk gjennomførbarhet',
        'g4-go-to-testing/prototype': 'Fungerende produkt oppfyller den avtalte definisjonen',
        'g4-go-to-testing/test-plan': 'Plan for test og validering avtalt',
        'g4-go-to-testing/business-case-refresh': 'Forretningscase oppdatert med faktiske tall',
        'g4-go-to-testing/customer-feedback': 'Tilbakemelding fra kunder på prototypen',
        'g4-go-to-testing/cost-on-plan': 'Forbruk i tråd med planen',
        'g5-go-to-launch/acceptance': 'Akseptansetester bestått',
        'g5-go-to-launch/launch-plan': 'Plan for lansering og drift godkjent',
        'g5-go-to-launch/support-ready': 'Support og drift klare til å ta over',
        'g5-go-to-launch/market-validation': 'Resultater fra felttest / markedsvalidering',
        'g5-go-to-launch/financials': 'Økonomien er fortsatt attraktiv',
      },
      evidence: {
        'g2-second-screen/market-assessment': 'Side med markedsskanning',
        'g3-go-to-development/business-case': 'Side med forretningscaset, signert versjon',
      },
    },
    'sv-SE': {
      description: 'Från idé till lansering genom fem grindar; investeringen ökar i takt med att osäkerheten minskar.',
      stages: {
        discovery: 'Upptäckt',
        scoping: 'Avgränsning',
        'business-case': 'Ta fram affärsfall',
        development: 'Utveckling',
        testing: 'Test och validering',
        launch: 'Lansering och efterutvärdering',
      },
      gates: {
        'g1-idea-screen': 'Grind 1: Idésållning',
        'g2-second-screen': 'Grind 2: Andra sållningen',
        'g3-go-to-development': 'Grind 3: Klart för utveckling',
        'g4-go-to-testing': 'Grind 4: Klart för test',
        'g5-go-to-launch': 'Grind 5: Klart för lansering',
      },
      criteria: {
        'g1-idea-screen/strategic-fit': 'Passar portföljstrategin',
        'g1-idea-screen/feasible': 'Tekniskt genomförbart vid en första anblick',
        'g1-idea-screen/no-showstopper': 'Inga juridiska, etiska eller säkerhetsmässiga stoppare',
        'g1-idea-screen/market-attractiveness': 'Marknadens attraktivitet',
        'g1-idea-screen/synergies': 'Bygger på våra kärnkompetenser',
        'g2-second-screen/market-assessment': 'Preliminär marknadsbedömning gjord',
        'g2-second-screen/technical-assessment': 'Preliminär teknisk bedömning gjord',
        'g2-second-screen/sponsor-named': 'Sponsor utsedd och engagerad',
        'g2-second-screen/strategic-importance': 'Strategisk betydelse',
        'g2-second-screen/competitive-advantage': 'Produkt- och konkurrensfördel',
        'g2-second-screen/reward-vs-risk': 'Nytta mot risk',
        'g3-go-to-development/business-case': 'Affärsfallet godkänt av ekonomi',
        'g3-go-to-development/scope-defined': 'Produktdefinition och omfattning överenskomna',
        'g3-go-to-development/project-plan': 'Utvecklingsplan med milstolpar och budget',
        'g3-go-to-development/risk-register': 'Riskregistret granskat; ingen extrem risk utan ägare',
        'g3-go-to-development/resources': 'Resurser bekräftade av linjechefer',
        'g3-go-to-development/npv': 'Ekonomisk avkastning (NPV / återbetalningstid)',
        'g3-go-to-development/market-attractiveness': 'Marknadens attraktivitet',
        'g3-go-to-development/technical-feasibility': 'Teknisk genomförbarhet',
        'g4-go-to-testing/prototype': 'Fungerande produkt uppfyller den överenskomna definitionen',
        'g4-go-to-testing/test-plan': 'Plan för test och validering överenskommen',
        'g4-go-to-testing/business-case-refresh': 'Affärsfallet uppdaterat med utfall',
        'g4-go-to-testing/customer-feedback': 'Kundåterkoppling på prototypen',
        'g4-go-to-testing/cost-on-plan': 'Kostnader i linje med planen',
        'g5-go-to-launch/acceptance': 'Acceptanstester godkända',
        'g5-go-to-launch/launch-plan': 'Plan för lansering och drift godkänd',
        'g5-go-to-launch/support-ready': 'Support och drift redo att ta över',
        'g5-go-to-launch/market-validation': 'Resultat från fälttest / marknadsvalidering',
        'g5-go-to-launch/financials': 'Ekonomin är fortfarande attraktiv',
      },
      evidence: {
        'g2-second-screen/market-assessment': 'Sida med marknadsöversikt',
        'g3-go-to-development/business-case': 'Sida med affärsfallet, signerad version',
      },
    },
  },
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
  translations: {
    'nb-NO': {
      name: 'PRINCE2 (forenklet)',
      description: 'Oppstart, initiering, leveranse, avslutning: prosjektstyret godkjenner hvert steg.',
      stages: {
        'starting-up': 'Oppstart',
        initiating: 'Initiering',
        delivery: 'Leveransefaser',
        closed: 'Avsluttet (gevinstoppfølging)',
      },
      gates: {
        'authorise-initiation': 'Godkjenne initiering',
        'authorise-project': 'Godkjenne prosjektet',
        'authorise-closure': 'Godkjenne avslutning',
      },
      criteria: {
        'authorise-initiation/project-brief': 'Prosjektforslag med overordnet forretningscase',
        'authorise-initiation/executive-appointed': 'Prosjekteier og prosjektleder utnevnt',
        'authorise-initiation/lessons-reviewed': 'Erfaringer fra tidligere prosjekter gjennomgått',
        'authorise-project/pid': 'Prosjektinitieringsdokumentasjon godkjent',
        'authorise-project/tolerances-set':
          'Toleranser for prosjekt og fase satt (tid, kostnad, omfang, kvalitet, gevinster, risiko)',
        'authorise-project/business-case': 'Detaljert forretningscase forsvarer investeringen',
        'authorise-project/risk-approach': 'Tilnærming til risikostyring avtalt',
        'authorise-project/quality-approach': 'Tilnærming til kvalitetsstyring avtalt',
        'authorise-closure/products-accepted': 'Alle produkter akseptert av kunden',
        'authorise-closure/handover': 'Overlevering til drift og vedlikehold gjennomført',
        'authorise-closure/end-project-report': 'Sluttrapport gjennomgått',
        'authorise-closure/benefits-plan': 'Plan for gevinstoppfølging avtalt',
        'authorise-closure/lessons-report': 'Erfaringsrapport skrevet',
      },
    },
    'sv-SE': {
      name: 'PRINCE2 (förenklad)',
      description: 'Uppstart, initiering, leverans, avslut: projektstyrelsen godkänner varje steg.',
      stages: {
        'starting-up': 'Uppstart',
        initiating: 'Initiering',
        delivery: 'Leveransfaser',
        closed: 'Avslutat (nyttouppföljning)',
      },
      gates: {
        'authorise-initiation': 'Godkänna initiering',
        'authorise-project': 'Godkänna projektet',
        'authorise-closure': 'Godkänna avslut',
      },
      criteria: {
        'authorise-initiation/project-brief': 'Projektdirektiv med översiktligt affärsfall',
        'authorise-initiation/executive-appointed': 'Projektägare och projektledare utsedda',
        'authorise-initiation/lessons-reviewed': 'Erfarenheter från tidigare projekt granskade',
        'authorise-project/pid': 'Projektinitieringsdokumentation godkänd',
        'authorise-project/tolerances-set':
          'Toleranser för projekt och fas satta (tid, kostnad, omfattning, kvalitet, nytta, risk)',
        'authorise-project/business-case': 'Detaljerat affärsfall motiverar investeringen',
        'authorise-project/risk-approach': 'Förhållningssätt till riskhantering överenskommet',
        'authorise-project/quality-approach': 'Förhållningssätt till kvalitetsstyrning överenskommet',
        'authorise-closure/products-accepted': 'Alla produkter godkända av kunden',
        'authorise-closure/handover': 'Överlämning till drift och underhåll genomförd',
        'authorise-closure/end-project-report': 'Slutrapport granskad',
        'authorise-closure/benefits-plan': 'Plan för nyttouppföljning överenskommen',
        'authorise-closure/lessons-report': 'Erfarenhetsrapport skriven',
      },
    },
  },
};

/** The shipped templates, parsed (so their defaults are filled and their structure is checked at load). */
export const DEFAULT_TEMPLATES: readonly StageGateTemplate[] = [
  templateSchema.parse(cooper),
  templateSchema.parse(prince2),
];

/** The template a new project gets when the PMO has not chosen another. */
export const DEFAULT_TEMPLATE_ID = 'cooper-stage-gate';
