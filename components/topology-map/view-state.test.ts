import { describe, expect, it } from 'vitest';
import { pathAfterClearedSearch } from './view-state';

describe('pathAfterClearedSearch', () => {
  const hit = ['us-east', 'us-east-b', 'use-b-2'];

  it('goes back to where the search started', () => {
    expect(pathAfterClearedSearch(hit, hit, ['us-east', 'us-east-a'])).toEqual(['us-east', 'us-east-a']);
    expect(pathAfterClearedSearch(hit, hit, [])).toEqual([]);
  });

  it('after a reload (where it started is unknown) goes to the whole fleet', () => {
    expect(pathAfterClearedSearch(hit, hit, null)).toEqual([]);
  });

  it('stays where the user drilled after the search', () => {
    expect(pathAfterClearedSearch(['us-east', 'us-east-b'], hit, [])).toBeNull();
  });

  it('stays when no search moved the view', () => {
    expect(pathAfterClearedSearch(hit, null, [])).toBeNull();
  });
});
