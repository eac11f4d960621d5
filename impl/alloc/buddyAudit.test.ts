import { describe, expect, it } from 'vitest';
import { auditBuddy } from './buddyAudit.ts';
import { forEachBlock, freeBlock } from './buddyBlocks.ts';
import { ADDED, createBuddyBuffer, FREE, HEAD, viewsOf, W } from './buddyLayout.ts';
import type { BuddyViews } from './buddyLayout.ts';

/** Eight frames, all added and free as one block of order 3. */
function healthy(): BuddyViews {
  const v = viewsOf(createBuddyBuffer(0, 8, 3));
  v.words[W.added] = 8;
  forEachBlock(v, 0, 8, (i, k) => freeBlock(v, i, k));
  return v;
}

describe('auditBuddy', () => {
  it('accepts a well-formed state', () => {
    expect(auditBuddy(healthy())).toEqual([]);
    expect(auditBuddy(viewsOf(createBuddyBuffer(0, 0, 0)))).toEqual([]);
  });
  it('reports counters that disagree with the frames', () => {
    const v = healthy();
    v.words[W.free] = 7;
    v.words[W.added] = 9;
    expect(auditBuddy(v)).toEqual(['added counter 9 != 8 frames', 'free counter 7 != 8 listed frames']);
  });
  it('reports a free frame on no list and an interior frame marked allocated', () => {
    const v = healthy();
    v.state[3] = ADDED;
    expect(auditBuddy(v)).toEqual(['frame 3: state 128 inside 0/3']);
    const w = viewsOf(createBuddyBuffer(0, 4, 2));
    w.state[2] = ADDED | FREE;
    w.words[W.added] = 1;
    expect(auditBuddy(w)).toEqual(['frame 2: marked free (192) but on no list']);
  });
  it('reports unmerged buddies, misaligned blocks and broken links', () => {
    const v = viewsOf(createBuddyBuffer(0, 4, 2));
    v.state.fill(ADDED);
    v.words[W.added] = 4;
    freeBlock(v, 0, 1);
    v.words[W.heads + 1] = 2;
    v.state[2] = ADDED | FREE | HEAD | 1;
    v.state[3] = ADDED | FREE;
    v.words[W.free] = 4;
    v.next[2] = 0;
    v.prev[2] = -1;
    v.prev[0] = 2;
    const problems = auditBuddy(v);
    expect(problems).toContain('block 2/1: unmerged');
    v.prev[0] = 3;
    v.words[W.heads + 2] = 1;
    v.state[1] = ADDED | FREE | HEAD | 2;
    expect(auditBuddy(v)).toEqual(expect.arrayContaining(['list 1: prev of 0 is not 2', 'list 2: broken at 1']));
  });
});
