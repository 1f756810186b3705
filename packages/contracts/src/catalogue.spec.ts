import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { eventCatalogue } from './index';

describe('event catalogue', () => {
  const catalogue = eventCatalogue();

  it('has a definition for every event with owner, stream category and summary', () => {
    expect(catalogue.length).toBeGreaterThan(30);
    for (const def of catalogue) {
      expect(def.summary.length).toBeGreaterThan(10);
      expect(['intake', 'police', 'placement', 'assessment', 'audit']).toContain(def.owner);
    }
  });

  it('declares a handoff in the payload of every hand-off event', () => {
    for (const def of catalogue.filter((d) => d.handoff)) {
      const shape = (def.payload as unknown as { shape: Record<string, unknown> }).shape;
      expect(shape).toHaveProperty('handoff');
    }
  });

  it('is listed in the README, each event with its current version', () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const missing = catalogue.filter((d) => !readme.includes(`| \`${d.type}\` | v${d.version} |`)).map((d) => d.type);
    expect(missing).toEqual([]);
  });
});
