import Select from '@atlaskit/select';
import Toggle from '@atlaskit/toggle';
import { type SettingsValues } from '../../../../src/contract/admin';
import { EAC_METHODS } from '../../../../src/domain/evm';
import { HEALTH_DIMENSIONS, type HealthConfig, type HealthDimension } from '../../../../src/domain/health';
import { useI18n } from '../../../common/src/useI18n';
import { fieldId } from '../problems';
import { FieldProblems, type FormApi, NumberInput } from './Fields';

interface Props {
  readonly form: FormApi;
  readonly health: HealthConfig;
  readonly update: (change: (draft: SettingsValues) => void) => void;
}

/** The health rules' thresholds, dimension by dimension, each of which can be switched off. */
export default function HealthSettings({ form, health, update }: Props) {
  const { t } = useI18n();
  const set = (change: (draft: HealthConfig) => void) => update((draft) => change(draft.health));
  const number = (
    path: string,
    label: string,
    value: number,
    apply: (draft: HealthConfig, n: number) => void,
    hint?: string,
    suffix?: string,
  ) => (
    <NumberInput
      form={form}
      path={`health.${path}`}
      label={label}
      hint={hint}
      suffix={suffix}
      value={value}
      onChange={(n) => set((draft) => apply(draft, n))}
    />
  );

  const settingsOf = (dimension: HealthDimension) => {
    switch (dimension) {
      case 'schedule':
        return number(
          'schedule.deviationAmberPercent',
          t('admin.health.schedule.deviation'),
          health.schedule.deviationAmberPercent,
          (d, n) => (d.schedule.deviationAmberPercent = n),
          t('admin.health.schedule.deviation.hint'),
          '%',
        );
      case 'gate':
        return number(
          'gate.warningDays',
          t('admin.health.gate.warningDays'),
          health.gate.warningDays,
          (d, n) => (d.gate.warningDays = n),
          t('admin.health.gate.warningDays.hint'),
        );
      case 'risk':
        return (
          <>
            {number(
              'risk.extremeCountRed',
              t('admin.health.risk.extremeCountRed'),
              health.risk.extremeCountRed,
              (d, n) => (d.risk.extremeCountRed = n),
              t('admin.health.risk.extremeCountRed.hint'),
            )}
            <table className="bands">
              <caption>{t('admin.health.risk.bands')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.health.risk.band')}</th>
                  <th scope="col">{t('admin.health.risk.min')}</th>
                  <th scope="col">{t('admin.health.risk.max')}</th>
                </tr>
              </thead>
              <tbody>
                {health.risk.bands.map((range, index) => (
                  <tr key={range.band}>
                    <th scope="row">
                      {t(`risk.band.${range.band}`)}
                      <FieldProblems form={form} path={`health.risk.bands.${index}`} />
                    </th>
                    {(['min', 'max'] as const).map((bound) => (
                      <td key={bound}>
                        <NumberInput
                          form={form}
                          path={`health.risk.bands.${index}.${bound}`}
                          label={t(`admin.health.risk.bandBound.${bound}`, {
                            band: t(`risk.band.${range.band}`),
                          })}
                          hiddenLabel
                          value={range[bound]}
                          onChange={(n) =>
                            set((draft) => {
                              const target = draft.risk.bands[index];
                              if (target) target[bound] = n;
                            })
                          }
                        />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            <FieldProblems form={form} path="health.risk.bands" />
          </>
        );
      case 'raid':
        return <p className="subtle">{t('admin.health.raid.hint')}</p>;
      case 'budget':
        return (
          <>
            <div className="field-grid">
              {number(
                'budget.evm.index.green',
                t('admin.health.budget.indexGreen'),
                health.budget.evm.index.green,
                (d, n) => (d.budget.evm.index.green = n),
              )}
              {number(
                'budget.evm.index.amber',
                t('admin.health.budget.indexAmber'),
                health.budget.evm.index.amber,
                (d, n) => (d.budget.evm.index.amber = n),
              )}
              {number(
                'budget.evm.eacToBac.green',
                t('admin.health.budget.eacGreen'),
                health.budget.evm.eacToBac.green,
                (d, n) => (d.budget.evm.eacToBac.green = n),
              )}
              {number(
                'budget.evm.eacToBac.amber',
                t('admin.health.budget.eacAmber'),
                health.budget.evm.eacToBac.amber,
                (d, n) => (d.budget.evm.eacToBac.amber = n),
              )}
            </div>
            <FieldProblems form={form} path="health.budget.evm.index" />
            <FieldProblems form={form} path="health.budget.evm.eacToBac" />
            <label htmlFor={fieldId('health.budget.evm.eacMethod')} className="field-label">
              {t('admin.health.budget.eacMethod')}
            </label>
            <div className="select-narrow">
              <Select
                inputId={fieldId('health.budget.evm.eacMethod')}
                isDisabled={form.readOnly}
                options={EAC_METHODS.map((method) => ({ value: method, label: t(`admin.health.eacMethod.${method}`) }))}
                value={{
                  value: health.budget.evm.eacMethod,
                  label: t(`admin.health.eacMethod.${health.budget.evm.eacMethod}`),
                }}
                onChange={(option) => {
                  if (option) set((draft) => (draft.budget.evm.eacMethod = option.value));
                }}
              />
            </div>
          </>
        );
      case 'tolerance':
        return number(
          'tolerance.amberAt',
          t('admin.health.tolerance.amberAt'),
          health.tolerance.amberAt,
          (d, n) => (d.tolerance.amberAt = n),
          t('admin.health.tolerance.amberAt.hint'),
        );
      case 'staleness':
        return (
          <div className="field-grid">
            {number(
              'staleness.amberAfterDays',
              t('admin.health.staleness.amber'),
              health.staleness.amberAfterDays,
              (d, n) => (d.staleness.amberAfterDays = n),
            )}
            {number(
              'staleness.redAfterDays',
              t('admin.health.staleness.red'),
              health.staleness.redAfterDays,
              (d, n) => (d.staleness.redAfterDays = n),
            )}
          </div>
        );
    }
  };

  const ambersOptions = [
    { value: 0, label: t('admin.health.ambersMakeRed.off') },
    ...[2, 3, 4, 5, 6, 7].map((n) => ({ value: n, label: t('admin.health.ambersMakeRed.n', { count: n }) })),
  ];

  return (
    <div className="tab-body">
      <p className="subtle">{t('admin.health.intro')}</p>
      <section className="card" aria-labelledby="overall-heading">
        <h2 id="overall-heading">{t('admin.health.overall')}</h2>
        <label htmlFor={fieldId('health.ambersMakeRed')} className="field-label">
          {t('admin.health.ambersMakeRed')}
        </label>
        <div className="select-narrow">
          <Select
            inputId={fieldId('health.ambersMakeRed')}
            isDisabled={form.readOnly}
            options={ambersOptions}
            value={ambersOptions.find((option) => option.value === (health.ambersMakeRed ?? 0)) ?? null}
            onChange={(option) => {
              if (option) set((draft) => (draft.ambersMakeRed = option.value === 0 ? null : option.value));
            }}
          />
        </div>
        <FieldProblems form={form} path="health.ambersMakeRed" />
      </section>
      <div className="dimensions">
        {HEALTH_DIMENSIONS.map((dimension) => (
          <section key={dimension} className="card dimension" aria-labelledby={`dimension-${dimension}`}>
            <div className="row-between">
              <h2 id={`dimension-${dimension}`}>{t(`admin.health.${dimension}`)}</h2>
              <span className="toggle">
                <label htmlFor={fieldId(`health.${dimension}.enabled`)}>
                  {t('admin.health.enabled')}
                  <span className="visually-hidden"> {t(`admin.health.${dimension}`)}</span>
                </label>
                <Toggle
                  id={fieldId(`health.${dimension}.enabled`)}
                  isChecked={health[dimension].enabled}
                  isDisabled={form.readOnly}
                  onChange={() => set((draft) => (draft[dimension].enabled = !draft[dimension].enabled))}
                />
              </span>
            </div>
            {/* The thresholds stay visible when a dimension is off: they are still stored, and still checked. */}
            {!health[dimension].enabled && <p className="subtle">{t('admin.health.disabled')}</p>}
            {settingsOf(dimension)}
          </section>
        ))}
      </div>
    </div>
  );
}
