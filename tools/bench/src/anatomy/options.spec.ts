import { parseAnatomyOptions } from './options';

describe('the anatomy command line', () => {
  it('listens on 4318 and watches a 60 s window unless told otherwise; for one order it waits up to 300 s', () => {
    expect(parseAnatomyOptions([])).toEqual({ port: 4318, seconds: 60 });
    expect(parseAnatomyOptions(['--order', 'o-1'])).toEqual({ port: 4318, orderId: 'o-1', seconds: 300 });
    expect(parseAnatomyOptions(['--port', '4319', '--seconds', '20', '--json', 'anatomy.json'])).toEqual({ port: 4319, seconds: 20, json: 'anatomy.json' });
  });

  it('refuses a window that is not a whole number of seconds, and unknown flags', () => {
    expect(() => parseAnatomyOptions(['--seconds', '0'])).toThrow(/--seconds/);
    expect(() => parseAnatomyOptions(['--minutes', '1'])).toThrow();
  });
});
