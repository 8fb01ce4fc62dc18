import { describe, expect, it, vi } from 'vitest';
import { createEmitter } from '../emitter.js';

describe('createEmitter', () => {
  it('isolates a throwing listener from the others and reports its error', () => {
    const report = vi.spyOn(console, 'error').mockImplementation(() => {});
    const emitter = createEmitter<{ ping: number }>();
    const good = vi.fn();
    emitter.on('ping', () => {
      throw new Error('boom');
    });
    const off = emitter.on('ping', good);
    emitter.emit('ping', 1);
    expect(good).toHaveBeenCalledWith(1);
    expect(report).toHaveBeenCalledWith(expect.objectContaining({ message: 'boom' }));
    report.mockRestore();
    off();
    emitter.emit('ping', 2);
    expect(good).toHaveBeenCalledTimes(1);
  });
});
