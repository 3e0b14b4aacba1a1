/**
 * The people of the demo: a PMO at Nordlys Energy, a fictional Nordic utility. Each persona exists to show one
 * thing about Tollgate (who may decide, who may only tick, who sees nothing).
 */

export interface SeedUser {
  readonly accountId: string;
  readonly displayName: string;
  readonly email: string;
  /** Sandbox-only API token for HTTP Basic auth; documented in the README, never a real secret. */
  readonly apiToken: string;
  /** What the persona is for, shown in the user switcher. */
  readonly role: string;
  readonly groups: readonly string[];
  readonly locale: string;
  readonly timeZone: string;
}

export const GROUPS = {
  users: 'jira-users',
  admins: 'jira-administrators',
  pmo: 'tollgate-pmo',
  steering: 'steering-committee',
  sponsors: 'sponsors',
  confidential: 'confidential-programmes',
} as const;

const user = (
  id: string,
  displayName: string,
  role: string,
  groups: readonly string[],
  locale = 'en_US',
): SeedUser => ({
  accountId: `5b10ac8d82e05b22cc7d4${id}`,
  displayName,
  email: `${displayName.split(' ')[0]!.toLowerCase()}@nordlys.example`,
  apiToken: `sandbox-token-${displayName.split(' ')[0]!.toLowerCase()}`,
  role,
  groups: [GROUPS.users, ...groups],
  locale,
  timeZone: 'Europe/Oslo',
});

export const PEOPLE = {
  pmoLead: user('ef1', 'Priya Nair', 'PMO lead: decides gates', [GROUPS.pmo, GROUPS.confidential]),
  owner: user('ef2', 'Ola Nordmann', 'Project owner', [], 'nb_NO'),
  member: user('ef3', 'Sara Lind', 'Team member: ticks items, logs RAID', [], 'sv_SE'),
  sponsor: user('ef4', 'Jonas Berg', 'Sponsor and steering committee', [
    GROUPS.sponsors,
    GROUPS.steering,
    GROUPS.confidential,
  ]),
  admin: user('ef5', 'Alex Admin', 'Jira admin: Tollgate settings', [GROUPS.admins]),
  outsider: user('ef6', 'Oscar Outsider', 'Outsider: cannot browse the CONF project', []),
  owner2: user('ef7', 'Ingrid Haug', 'Project owner', [GROUPS.confidential], 'nb_NO'),
  owner3: user('ef8', 'Mikael Ek', 'Project owner', [], 'sv_SE'),
} as const;

export const ALL_PEOPLE: readonly SeedUser[] = Object.values(PEOPLE);
