/**
 * The pick-list filters (health, stage, owner, department, last decision). Loaded on its own (React.lazy): the
 * select control is the heaviest part of the page and the table can paint before it.
 */
import Select from '@atlaskit/select';
import { type PortfolioFacets } from '../../../../src/contract/portfolio';
import { type RagOrNone } from '../../../../src/domain/rag';
import { useI18n } from '../../../common/src/useI18n';
import { type Decision, type Filters as FilterState } from '../filters';

interface Option {
  readonly label: string;
  readonly value: string;
}

const RAG_OPTIONS: readonly RagOrNone[] = ['red', 'amber', 'green', 'none'];

function MultiSelect({
  id,
  label,
  options,
  chosen,
  onChange,
}: {
  readonly id: string;
  readonly label: string;
  readonly options: readonly Option[];
  readonly chosen: readonly string[];
  readonly onChange: (values: string[]) => void;
}) {
  const { t } = useI18n();
  return (
    <div className="filter">
      <label htmlFor={id}>{label}</label>
      <Select<Option, true>
        inputId={id}
        isMulti
        options={options}
        value={options.filter((o) => chosen.includes(o.value))}
        onChange={(picked) => onChange(picked.map((o) => o.value))}
        placeholder={t('portfolio.filter.any')}
        noOptionsMessage={() => t('portfolio.filter.noOptions')}
      />
    </div>
  );
}

/** The filters the server narrows the table by; options and their counts come from the whole scope's facets. */
export default function Filters({
  facets,
  filters,
  onChange,
}: {
  readonly facets: PortfolioFacets;
  readonly filters: FilterState;
  readonly onChange: (change: Partial<FilterState>) => void;
}) {
  const { t, term } = useI18n();
  const counted = (label: string, count: number) => t('portfolio.filter.option', { label, count });
  const decisionLabel = (outcome: Decision) =>
    outcome === 'none' ? t('portfolio.decision.none') : t(`param.outcome.${outcome}`);
  return (
    <>
      <MultiSelect
        id="filter-rag"
        label={t('portfolio.filter.rag')}
        options={RAG_OPTIONS.map((rag) => ({ value: rag, label: t(`rag.${rag}`) }))}
        chosen={filters.rag}
        onChange={(values) => onChange({ rag: values as RagOrNone[] })}
      />
      <MultiSelect
        id="filter-stage"
        label={t('portfolio.filter.stage')}
        options={facets.stages.map((stage) => ({ value: stage, label: term('stage', stage) }))}
        chosen={filters.stage}
        onChange={(stage) => onChange({ stage })}
      />
      <MultiSelect
        id="filter-owner"
        label={t('portfolio.filter.owner')}
        options={facets.owners.map((owner) => ({
          value: owner.accountId,
          label: counted(owner.name ?? owner.accountId, owner.count),
        }))}
        chosen={filters.owner}
        onChange={(owner) => onChange({ owner })}
      />
      <MultiSelect
        id="filter-department"
        label={t('portfolio.filter.department')}
        options={facets.departments.map((department) => ({
          value: department.name,
          label: counted(department.name, department.count),
        }))}
        chosen={filters.department}
        onChange={(department) => onChange({ department })}
      />
      <MultiSelect
        id="filter-decision"
        label={t('portfolio.filter.decision')}
        options={facets.decisions.map((decision) => ({
          value: decision.outcome,
          label: counted(decisionLabel(decision.outcome), decision.count),
        }))}
        chosen={filters.decision}
        onChange={(values) => onChange({ decision: values as Decision[] })}
      />
    </>
  );
}
