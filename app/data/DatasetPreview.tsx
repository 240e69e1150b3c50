/** What the chosen dataset holds: fields, split sizes, class balance, and samples as images, rows or points. */
import type { DatasetPreview as Preview } from '../../workers/datasetTypes';
import { ClassBalance, ImageGrid, PreviewTable, Scatter } from './PreviewParts';
import { SequencePreview } from './SequencePreview';

const fmtShape = (s: readonly number[]) => `[${s.join(', ')}]`;

export function DatasetPreview({ preview, error, loading }: { preview?: Preview; error?: string; loading: boolean }) {
  if (error)
    return (
      <p className="train-error" role="alert">
        {error}
      </p>
    );
  if (!preview) return <p className="data-hint">{loading ? 'Loading the dataset…' : ''}</p>;
  const classNames = preview.classes?.map((c) => c.name) ?? [];
  return (
    <details className="preview" open aria-busy={loading}>
      <summary>Preview · {preview.name}</summary>
      <p className="preview-meta" aria-label="Dataset size">
        {preview.length.toLocaleString('en')} samples ·{' '}
        <span aria-label="Split sizes">
          {preview.split.train.toLocaleString('en')} training / {preview.split.validation.toLocaleString('en')} validation
        </span>
      </p>
      <p className="preview-meta" aria-label="Fields">
        {Object.entries(preview.fields)
          .map(([name, f]) => `${name} ${fmtShape(f.shape)} ${f.dtype}`)
          .join(' · ')}
      </p>
      {preview.images && <ImageGrid images={preview.images} classNames={classNames} />}
      {preview.table && <PreviewTable table={preview.table} />}
      {preview.sequences && <SequencePreview sequences={preview.sequences} />}
      {preview.scatter && <Scatter scatter={preview.scatter} classNames={classNames} />}
      {preview.classes && (
        <>
          <p className="preview-meta">Classes (training / validation)</p>
          <ClassBalance classes={preview.classes} />
        </>
      )}
      {preview.notes.length > 0 && (
        <ul className="preview-notes" aria-label="How the data was prepared">
          {preview.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
      {preview.problems.length > 0 && (
        <>
          <p className="preview-meta">
            {preview.problems.length} file{preview.problems.length > 1 ? 's' : ''} skipped:
          </p>
          <ul className="preview-problems" aria-label="Unreadable files">
            {preview.problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </>
      )}
    </details>
  );
}
