import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies the embedded defaults', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.ACK_DEADLINE_URGENT_MINUTES).toBe(15);
    expect(config.EVENT_STORE).toBe('sqlite');
  });

  it('names every bad value with the problem', () => {
    try {
      loadConfig({ PORT: 'eighty', ACK_DEADLINE_URGENT_MINUTES: '-5', BUS: 'carrier-pigeon' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/^PORT="eighty": /m);
      expect(problems).toMatch(/^ACK_DEADLINE_URGENT_MINUTES="-5": /m);
      expect(problems).toMatch(/^BUS="carrier-pigeon": /m);
    }
  });
});
