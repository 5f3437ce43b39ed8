import { describe, expect, it } from 'vitest';
import { resign, resumePosition, signedDirectory } from './VideoPlayer';

const OLD = '/media/s/AAAA/1800000000/u1/lessons/l1/hls/v1/master.m3u8';
const NEW = '/media/s/BBBB/1800000300/u1/lessons/l1/hls/v1/master.m3u8';

describe('moving requests under a fresh signed URL', () => {
  it('the signed directory is everything up to the playlist', () => {
    expect(signedDirectory(OLD)).toBe('/media/s/AAAA/1800000000/u1/lessons/l1/hls/v1/');
  });

  it('playlists and segments below it keep their path under the new token', () => {
    const from = signedDirectory(OLD);
    const to = signedDirectory(NEW);
    expect(resign(`${from}720p/seg_00042.ts`, from, to)).toBe('/media/s/BBBB/1800000300/u1/lessons/l1/hls/v1/720p/seg_00042.ts');
    expect(resign(OLD, from, to)).toBe(NEW);
  });

  it('anything else (a presigned S3 segment) is left alone', () => {
    const s3 = 'https://bucket.example/lessons/l1/hls/v1/360p/seg_00001.ts?X-Amz-Signature=abc';
    expect(resign(s3, signedDirectory(OLD), signedDirectory(NEW))).toBe(s3);
    expect(resign(OLD, '', signedDirectory(NEW))).toBe(OLD);
  });
});

describe('where a returning student starts', () => {
  it('from the saved position', () => {
    expect(resumePosition(95, 600)).toBe(95);
  });

  it('from the start when barely begun, nearly finished, or unknown', () => {
    expect(resumePosition(3, 600)).toBeNull();
    expect(resumePosition(597, 600)).toBeNull();
    expect(resumePosition(undefined, 600)).toBeNull();
    expect(resumePosition(95, Number.NaN)).toBeNull();
  });
});
