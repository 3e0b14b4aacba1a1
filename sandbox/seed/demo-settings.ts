/**
 * The PMO settings the demo starts with, as an admin would have saved them on the admin page: the registry spans the
 * PMO and confidential projects, gates are enforced (controlling), and the demo's custom fields are mapped.
 */
import { type Settings, settingsSchema } from '../../src/domain/settings';
import { CUSTOM_FIELDS } from './demo-portfolio';
import { GROUPS } from './people';

/** Settings for a freshly seeded sandbox. */
export function demoSettings(): Settings {
  return settingsSchema.parse({
    registryJql: 'project in (PMO, CONF) AND issuetype = Project ORDER BY key',
    mode: 'controlling',
    pmoGroup: GROUPS.pmo,
    roleGroups: { sponsor: GROUPS.sponsors, 'steering-committee': GROUPS.steering },
    fields: {
      department: CUSTOM_FIELDS.department.id,
      startDate: CUSTOM_FIELDS.startDate.id,
      budget: { bac: CUSTOM_FIELDS.bac.id, pv: CUSTOM_FIELDS.pv.id, ev: CUSTOM_FIELDS.ev.id, ac: CUSTOM_FIELDS.ac.id },
    },
  });
}
