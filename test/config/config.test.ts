import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig, VARIABLES } from '../../src/config/config.js';

describe('loadConfig', () => {
  it('needs nothing in local mode', () => {
    const { config, errors } = loadConfig({}, '/srv/kairos', false);
    expect(errors).toEqual([]);
    expect(config).toMatchObject({
      jobStore: { kind: 'sqlite', path: '/srv/kairos/data/kairos.db' },
      warehouse: { kind: 'sqlite', path: '/srv/kairos/data/warehouse' },
      http: { host: '127.0.0.1', port: 8000 },
      timezone: 'Asia/Taipei',
      jobsFile: '/srv/kairos/configs/jobs.yaml',
      log: { console: 'json', level: 'info' },
    });
  });

  it('reports every problem at once by variable name, never with the secret value', () => {
    const secret = 'hunter2-secret-password';
    const { config, errors } = loadConfig({
      KAIROS_JOB_STORE_URL: `mysql://u:${secret}@db/x`,
      ETL_PROCESS_WEBHOOK: `not a url ${secret}`,
      PORT: 'eighty',
      HOST: '0.0.0.0',
      KAIROS_TIMEZONE: 'Mars/Olympus',
      KAIROS_LOG_LEVEL: 'loud',
      IS_TEST: 'maybe',
    });
    expect(config).toBeNull();
    expect(errors.map((e) => e.split(':')[0]).sort()).toEqual(
      ['ETL_PROCESS_WEBHOOK', 'HOST', 'IS_TEST', 'KAIROS_JOB_STORE_URL', 'KAIROS_LOG_LEVEL', 'KAIROS_TIMEZONE', 'PORT'].sort(),
    );
    expect(errors.join('\n')).not.toContain(secret);
  });

  it('accepts SQLAlchemy URLs as the job store and translates them', () => {
    for (const url of ['postgresql+psycopg://u:p@db:5432/kairos', 'postgresql+psycopg2://u:p@db/kairos', 'postgres://u:p@db/kairos']) {
      const { config } = loadConfig({ SQLALCHEMY_URL: url });
      expect(config?.jobStore).toEqual({ kind: 'postgres', url: url.replace(/^postgres(ql)?(\+\w+)?:/, 'postgres:') });
    }
  });

  it('uses MongoDB as the warehouse when MONGO_URI is set; unset webhooks only warn', () => {
    const { config, warnings } = loadConfig({ MONGO_URI: 'mongodb://localhost:27017', IS_TEST: 'true' });
    expect(config?.warehouse).toEqual({ kind: 'mongodb', uri: 'mongodb://localhost:27017' });
    expect(config?.isTest).toBe(true);
    expect(warnings).toHaveLength(2);
  });

  it('allows a non-loopback host only with a token', () => {
    expect(loadConfig({ HOST: '0.0.0.0', KAIROS_API_TOKEN: 'a-long-enough-token-123' }).errors).toEqual([]);
  });

  it('.env.example documents every variable', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    for (const name of Object.keys(VARIABLES)) expect(example).toContain(`# ${name}=`);
  });
});
