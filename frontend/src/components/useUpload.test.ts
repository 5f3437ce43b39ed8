import { describe, expect, it } from 'vitest';
import { contentTypeOf } from '../api/media';
import { formatBytes, precheck } from './useUpload';

function file(name: string, size: number, type = ''): File {
  const item = new File(['x'], name, { type });
  Object.defineProperty(item, 'size', { value: size });
  return item;
}

describe('uploads, before asking the server', () => {
  it('refuses empty and oversized files with the rule in words', () => {
    expect(precheck(file('a.mp4', 0), 'lesson_video')).toBe('That file is empty.');
    expect(precheck(file('a.mp4', 3 * 1024 ** 3), 'lesson_video')).toMatch(/too big: MP4, MOV, WebM or MKV, up to 2 GB/);
    expect(precheck(file('a.png', 6 * 1024 ** 2), 'thumbnail')).toMatch(/up to 5 MB/);
    expect(precheck(file('a.mp4', 10 * 1024 ** 2), 'lesson_video')).toBeNull();
  });

  it('names a content type when the browser gives none', () => {
    expect(contentTypeOf(file('lecture.MKV', 10))).toBe('video/x-matroska');
    expect(contentTypeOf(file('lecture.mp4', 10, 'video/mp4'))).toBe('video/mp4');
    expect(contentTypeOf(file('notes', 10))).toBe('application/octet-stream');
  });

  it('formats sizes for the progress line', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(48 * 1024 ** 2)).toBe('48.0 MB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2.0 GB');
  });
});
