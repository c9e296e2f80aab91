// The token from the URL fragment, and the view from the path.
import { describe, expect, it, vi } from 'vitest';

vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => undefined });
vi.stubGlobal('navigator', { languages: ['zh-CN'] });
vi.stubGlobal('window', { location: { pathname: '/alerts' } });

const { tokenFromFragment } = await import('../../../renderer/src/api/session.js');
const { viewOfPath } = await import('../../../renderer/src/state/uiStore.js');

describe('renderer > session and paths', () => {
  it('reads the token from #token=…, and nothing from other fragments', () => {
    expect(tokenFromFragment('#token=abc_DEF-123')).toBe('abc_DEF-123');
    expect(tokenFromFragment('#view=1&token=x%2By')).toBe('x+y');
    expect(tokenFromFragment('#token=')).toBeNull();
    expect(tokenFromFragment('')).toBeNull();
    expect(tokenFromFragment('#something')).toBeNull();
  });

  it('names the view by the first path segment, the wall for anything else', () => {
    expect(viewOfPath('/alerts')).toBe('alerts');
    expect(viewOfPath('/keys/extra')).toBe('keys');
    expect(viewOfPath('/')).toBe('wall');
    expect(viewOfPath('/login')).toBe('wall');
    expect(viewOfPath('/nonsense')).toBe('wall');
  });
});
