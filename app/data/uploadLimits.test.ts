import { describe, expect, it } from 'vitest';
import { MAX_CSV_BYTES, MAX_TEXT_BYTES, uploadName, uploadProblem } from './uploadLimits';

describe('upload limits (checked from File.size before reading)', () => {
  it('refuses a CSV too large for the tab with its size in the message', () => {
    expect(uploadProblem('csv', [{ name: 'big.csv', size: MAX_CSV_BYTES + 1 }])).toBe(
      'big.csv is 64.0 MiB, more than the 64.0 MiB a tab can hold as a CSV dataset: use a sample of its rows',
    );
    expect(uploadProblem('csv', [{ name: 'ok.csv', size: 1000 }])).toBeUndefined();
    expect(uploadProblem('csv', [])).toBe('no files were chosen');
  });

  it('refuses image uploads with too many files or bytes', () => {
    expect(
      uploadProblem(
        'images',
        Array.from({ length: 20_001 }, () => ({ name: 'a.png', size: 1 })),
      ),
    ).toMatch(/20001 files is more than the 20000/);
    expect(uploadProblem('images', [{ name: 'a.png', size: 300 * 1024 * 1024 }])).toMatch(/300.0 MiB together/);
  });

  it('names an upload after its file or folder', () => {
    expect(uploadName('csv', [{ name: 'houses.csv' }])).toBe('houses.csv');
    expect(uploadName('images', [{ name: '1.png', webkitRelativePath: 'pets/cat/1.png' }])).toBe('pets');
    expect(uploadName('images', [{ name: '1.png', webkitRelativePath: '' }])).toBe('images');
  });
});

describe('text uploads', () => {
  it('take one file up to MAX_TEXT_BYTES, stored under its name', () => {
    expect(uploadProblem('text', [{ name: 'a.txt', size: MAX_TEXT_BYTES }])).toBeUndefined();
    expect(uploadProblem('text', [{ name: 'a.txt', size: MAX_TEXT_BYTES + 1 }])).toMatch(/a.txt is 16.0 MiB, more than the 16.0 MiB/);
    expect(
      uploadProblem('text', [
        { name: 'a.txt', size: 1 },
        { name: 'b.txt', size: 1 },
      ]),
    ).toBe('choose one text file');
    expect(uploadName('text', [{ name: 'hamlet.txt' }])).toBe('hamlet.txt');
  });
});
