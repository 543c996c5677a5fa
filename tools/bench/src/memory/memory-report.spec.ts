import { formatMemoryTable, judge, median } from './memory-report';

describe('the idle memory report', () => {
  it('takes the middle sample, or the mean of the two middle ones', () => {
    expect(median([90, 70, 80])).toBe(80);
    expect(median([90, 70, 80, 100])).toBe(85);
    expect(() => median([])).toThrow();
  });

  it('judges an app on the larger of its two idle medians and leaves the simulators unjudged', () => {
    expect(judge(100, 120, 120, true)).toBe(true);
    expect(judge(100, 120.1, 120, true)).toBe(false);
    expect(judge(121, 110, 120, true)).toBe(false);
    expect(judge(200, 200, 120, false)).toBeNull();
  });

  it('prints one row per process with its verdict', () => {
    const table = formatMemoryTable(
      [
        { name: 'gateway', idleRssMb: 95.2, afterOrdersRssMb: 101.4, peakRssMb: 130.1, withinGoal: true },
        { name: 'carrier-sim', idleRssMb: 60, afterOrdersRssMb: 61, peakRssMb: 70, withinGoal: null },
      ],
      120,
    );

    expect(table.split('\n')).toEqual([
      'process      idle RSS MB  after orders RSS MB  peak RSS MB  ≤ 120 MB',
      '-----------  -----------  -------------------  -----------  --------',
      'gateway             95.2                101.4        130.1      pass',
      'carrier-sim           60                   61           70         -',
    ]);
  });
});
