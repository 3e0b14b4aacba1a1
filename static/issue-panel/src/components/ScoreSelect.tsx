/**
 * The should-meet score picker, split from the checklist so react-select (the largest dependency) loads after the
 * first paint; the checklist shows the current score as text until it arrives.
 */
import Select from '@atlaskit/select';

interface Props {
  readonly inputId: string;
  readonly scoreMax: number;
  readonly score: number | undefined;
  readonly onScore: (score: number) => void;
}

export default function ScoreSelect({ inputId, scoreMax, score, onScore }: Props) {
  const options = Array.from({ length: scoreMax + 1 }, (_, value) => ({ value, label: String(value) }));
  return (
    <Select
      inputId={inputId}
      className="score-select"
      options={options}
      value={score === undefined ? null : { value: score, label: String(score) }}
      placeholder="–"
      isSearchable={false}
      onChange={(option) => option && onScore(option.value)}
    />
  );
}
