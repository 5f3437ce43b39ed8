import { describe, expect, it } from 'vitest';
import { HEARTBEAT_INTERVAL_MS, shouldSend } from './useLessonHeartbeats';

describe('when the player reports its position', () => {
  it('play, pause and the end are reported at once', () => {
    for (const event of ['play', 'pause', 'ended'] as const) expect(shouldSend(event, 1000, 999)).toBe(true);
  });

  it('while playing, once per interval', () => {
    expect(shouldSend('timeupdate', 10_000, 0)).toBe(false);
    expect(shouldSend('timeupdate', HEARTBEAT_INTERVAL_MS, 0)).toBe(true);
    expect(shouldSend('timeupdate', HEARTBEAT_INTERVAL_MS + 5_000, 5_001)).toBe(false);
  });
});
