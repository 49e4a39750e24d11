import { describe, expect, it } from 'vitest';
import { sharedBuffersFor } from './pg-settings';

const GiB = 2 ** 30;

describe('shared_buffers of the embedded PostgreSQL', () => {
  it('is an eighth of the memory, between 512 MB and 2 GB', () => {
    expect(sharedBuffersFor(2 * GiB)).toBe('512MB');
    expect(sharedBuffersFor(8 * GiB)).toBe('1024MB');
    expect(sharedBuffersFor(12 * GiB)).toBe('1536MB');
    expect(sharedBuffersFor(24 * GiB)).toBe('2048MB');
    expect(sharedBuffersFor(256 * GiB)).toBe('2048MB');
  });
});
